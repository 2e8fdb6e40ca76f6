import { Search } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { ENVIRONMENT_LABELS, ENVIRONMENTS, type TServiceFilter } from "@/lib/services/schemas";

/** A plain GET form: the filter lives in the URL, so it can be bookmarked and works without JavaScript. */
export function CatalogueFilterForm({ filter, teams }: { filter: TServiceFilter; teams: string[] }) {
  const active = Boolean(filter.q || filter.environment || filter.team);
  return (
    <form method="get" action="/services" role="search" aria-label="Filter services" className="p-4">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_auto] lg:items-end">
        <Field id="filter-q" name="q" type="search" label="Search by name" placeholder="e.g. payments" defaultValue={filter.q} />
        <SelectField
          id="filter-environment"
          name="environment"
          label="Environment"
          defaultValue={filter.environment ?? ""}
          options={[{ value: "", label: "All environments" }, ...ENVIRONMENTS.map((e) => ({ value: e, label: ENVIRONMENT_LABELS[e] }))]}
        />
        <SelectField
          id="filter-team"
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
            <Link
              href="/services"
              className="inline-flex items-center rounded-md px-3.5 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
            >
              Clear
            </Link>
          ) : null}
        </div>
      </div>
    </form>
  );
}
