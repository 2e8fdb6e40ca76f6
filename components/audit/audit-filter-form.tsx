import { Filter } from "lucide-react";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import { KNOWN_TARGET_TYPES } from "@/lib/audit/filters";
import type { FieldErrors } from "@/lib/validation/parse";

const selectClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none transition focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900";

// Grouped by the part before the first dot, so the long list is scannable.
const ACTION_GROUPS = Object.entries(
  AUDIT_ACTIONS.reduce<Record<string, string[]>>((groups, a) => {
    (groups[a.split(".")[0]!] ??= []).push(a);
    return groups;
  }, {}),
);

/**
 * A plain GET form: the filter lives in the URL, so a filtered view can be bookmarked and shared,
 * and it works without JavaScript.
 */
export function AuditFilterForm({ values, errors }: { values: Record<string, string>; errors?: FieldErrors }) {
  const active = Object.values(values).some(Boolean);
  return (
    <form method="get" action="/audit" aria-label="Filter the audit trail" className="space-y-4 p-4">
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
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-6">
        <Field
          id="filter-actor"
          name="actor"
          label="Actor"
          type="search"
          placeholder="name@example.com"
          hint="Exact email, any case"
          defaultValue={values.actor}
          error={errors?.actor}
        />
        <div className="space-y-1.5">
          <label htmlFor="filter-action" className="block text-sm font-medium text-slate-700 dark:text-slate-200">
            Action
          </label>
          <select id="filter-action" name="action" defaultValue={values.action ?? ""} className={selectClass}>
            <option value="">Any action</option>
            {ACTION_GROUPS.map(([group, actions]) => (
              <optgroup key={group} label={group}>
                {actions.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <Field
          id="filter-target-type"
          name="targetType"
          label="Target type"
          list="audit-target-types"
          placeholder="e.g. User"
          defaultValue={values.targetType}
          error={errors?.targetType}
        />
        <datalist id="audit-target-types">
          {KNOWN_TARGET_TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <Field
          id="filter-target-id"
          name="targetId"
          label="Target id"
          hint="Needs a target type"
          defaultValue={values.targetId}
          error={errors?.targetId}
        />
        <Field
          id="filter-from"
          name="from"
          label="From (UTC)"
          type="datetime-local"
          defaultValue={values.from}
          error={errors?.from}
        />
        <Field
          id="filter-to"
          name="to"
          label="To (UTC)"
          type="datetime-local"
          hint="Includes that whole minute"
          defaultValue={values.to}
          error={errors?.to}
        />
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit">
          <Filter aria-hidden="true" className="h-4 w-4" />
          Apply filters
        </Button>
        {active ? (
          <Link
            href="/audit"
            className="rounded-md px-3 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            Clear filters
          </Link>
        ) : null}
      </div>
    </form>
  );
}
