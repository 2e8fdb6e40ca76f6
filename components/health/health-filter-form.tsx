import { Search } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/select-field";
import type { THealthOverviewFilter } from "@/lib/health/overview";
import { ENVIRONMENT_LABELS, ENVIRONMENTS } from "@/lib/services/schemas";

/** A plain GET form: the filter lives in the URL, so a filtered overview can be bookmarked. */
export function HealthFilterForm({ filter, teams }: { filter: THealthOverviewFilter; teams: string[] }) {
  const active = Boolean(filter.environment || filter.team);
  return (
    <form method="get" action="/health" role="search" aria-label="Filter services" className="p-4">
      <div className="grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
        <SelectField
          id="health-environment"
          name="environment"
          label="Environment"
          defaultValue={filter.environment ?? ""}
          options={[{ value: "", label: "All environments" }, ...ENVIRONMENTS.map((e) => ({ value: e, label: ENVIRONMENT_LABELS[e] }))]}
        />
        <SelectField
          id="health-team"
          name="team"
          label="Owner team"
          defaultValue={filter.team ?? ""}
          options={[{ value: "", label: "All teams" }, ...teams.map((t) => ({ value: t, label: t }))]}
        />
        <div className="flex gap-2">
          <Button type="submit" variant="secondary">
            <Search aria-hidden="true" className="h-4 w-4" />
            Apply
          </Button>
          {active ? (
            <Link href="/health" className="inline-flex items-center rounded-md px-3.5 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800">
              Clear
            </Link>
          ) : null}
        </div>
      </div>
    </form>
  );
}
