import { Filter } from "lucide-react";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { CHANGE_RISKS, CHANGE_STATUSES, CHANGE_TYPES } from "@/lib/changes/filters";
import { RISK_LABELS, STATUS_LABELS, TYPE_LABELS } from "@/lib/changes/labels";
import type { ChangeFilterOptions } from "@/lib/changes/list";
import type { FieldErrors } from "@/lib/validation/parse";

const ENV = { PRODUCTION: "production", STAGING: "staging" } as const;

/**
 * A plain GET form: the filter lives in the URL, so a filtered list can be bookmarked and shared,
 * and it works without JavaScript. The current sort rides along in hidden fields.
 */
export function ChangeFilterForm({
  values,
  options,
  errors,
}: {
  values: Record<string, string | string[]>;
  options: ChangeFilterOptions;
  errors?: FieldErrors;
}) {
  const one = (k: string) => [values[k] ?? ""].flat()[0] ?? "";
  const statuses = new Set([values.status ?? []].flat().flatMap((s) => s.split(",")));
  const active = Object.entries(values).some(([k, v]) => k !== "sort" && k !== "dir" && [v].flat().some(Boolean));
  return (
    <form method="get" action="/changes" aria-label="Filter change requests" className="space-y-4 p-4">
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
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4">
        <div className="sm:col-span-2">
          <Field
            id="filter-q"
            name="q"
            label="Search"
            type="search"
            placeholder="CHG-000123 or words in the title"
            hint="A change number opens exactly that change; anything else searches titles."
            defaultValue={one("q")}
            error={errors?.q}
          />
        </div>
        <SelectField
          id="filter-service"
          name="service"
          label="Service"
          defaultValue={one("service")}
          error={errors?.service}
          options={[
            { value: "", label: "Any service" },
            ...options.services.map((s) => ({ value: s.id, label: `${s.name} (${ENV[s.environment]})` })),
          ]}
        />
        <SelectField
          id="filter-requester"
          name="requester"
          label="Requester"
          defaultValue={one("requester")}
          error={errors?.requester}
          options={[{ value: "", label: "Anyone" }, ...options.requesters.map((u) => ({ value: u.email, label: `${u.name} (${u.email})` }))]}
        />
        <SelectField
          id="filter-type"
          name="type"
          label="Type"
          defaultValue={one("type")}
          error={errors?.type}
          options={[{ value: "", label: "Any type" }, ...CHANGE_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))]}
        />
        <SelectField
          id="filter-risk"
          name="risk"
          label="Risk"
          defaultValue={one("risk")}
          error={errors?.risk}
          options={[{ value: "", label: "Any risk" }, ...CHANGE_RISKS.map((r) => ({ value: r, label: RISK_LABELS[r] }))]}
        />
        <Field
          id="filter-from"
          name="from"
          label="Planned start from"
          type="date"
          hint="UTC, inclusive"
          defaultValue={one("from")}
          error={errors?.from}
        />
        <Field id="filter-to" name="to" label="Planned start to" type="date" hint="UTC, inclusive" defaultValue={one("to")} error={errors?.to} />
      </div>
      <fieldset aria-describedby={errors?.status ? "filter-status-error" : undefined}>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Status</legend>
        <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
          {CHANGE_STATUSES.map((s) => (
            <label key={s} className="inline-flex items-center gap-1.5 text-sm text-slate-700 dark:text-slate-300">
              <input
                type="checkbox"
                name="status"
                value={s}
                defaultChecked={statuses.has(s)}
                className="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500 dark:border-slate-600 dark:bg-slate-900"
              />
              {STATUS_LABELS[s]}
            </label>
          ))}
        </div>
        {errors?.status ? (
          <p id="filter-status-error" className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">
            {errors.status}
          </p>
        ) : (
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">None ticked: every status.</p>
        )}
      </fieldset>
      {one("sort") ? <input type="hidden" name="sort" value={one("sort")} /> : null}
      {one("dir") ? <input type="hidden" name="dir" value={one("dir")} /> : null}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit">
          <Filter aria-hidden="true" className="h-4 w-4" />
          Apply filters
        </Button>
        {active ? (
          <Link
            href="/changes"
            className="rounded-md px-3 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            Clear filters
          </Link>
        ) : null}
      </div>
    </form>
  );
}
