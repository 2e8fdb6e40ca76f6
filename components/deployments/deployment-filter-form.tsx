import { Filter } from "lucide-react";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/select-field";
import { DEPLOYMENT_STATUS_LABELS } from "@/lib/deployments/labels";
import { DEPLOYMENT_STATUSES } from "@/lib/deployments/queries";
import type { FieldErrors } from "@/lib/validation/parse";

/** A plain GET form: the filter lives in the URL, so a filtered history can be bookmarked and shared. */
export function DeploymentFilterForm({
  values,
  services,
  errors,
}: {
  values: { service: string; status: string[] };
  services: { id: string; name: string; environment: "PRODUCTION" | "STAGING" }[];
  errors?: FieldErrors;
}) {
  const statuses = new Set(values.status.flatMap((s) => s.split(",")));
  const active = values.service !== "" || statuses.size > 0;
  return (
    <form method="get" action="/deployments" aria-label="Filter deployments" className="space-y-4 p-4">
      {errors ? (
        <Alert>
          <p className="font-medium">The filter cannot be applied:</p>
          <ul className="mt-1 list-disc pl-5">
            {Object.entries(errors).map(([field, message]) => (
              <li key={field}>{message}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <div className="grid gap-4 md:grid-cols-[minmax(0,18rem)_minmax(0,1fr)]">
        <SelectField
          id="filter-service"
          name="service"
          label="Service"
          defaultValue={values.service}
          error={errors?.service}
          options={[
            { value: "", label: "All services" },
            ...services.map((s) => ({ value: s.id, label: `${s.name} (${s.environment.toLowerCase()})` })),
          ]}
        />
        <fieldset>
          <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Status</legend>
          <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
            {DEPLOYMENT_STATUSES.map((s) => (
              <label key={s} className="inline-flex items-center gap-2 text-sm">
                <input type="checkbox" name="status" value={s} defaultChecked={statuses.has(s)} className="h-4 w-4 rounded" />
                {DEPLOYMENT_STATUS_LABELS[s]}
              </label>
            ))}
          </div>
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">None ticked: every status.</p>
        </fieldset>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit">
          <Filter aria-hidden="true" className="h-4 w-4" />
          Apply filters
        </Button>
        {active ? (
          <Link
            href="/deployments"
            className="inline-flex items-center rounded-md px-3.5 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            Clear filters
          </Link>
        ) : null}
      </div>
    </form>
  );
}
