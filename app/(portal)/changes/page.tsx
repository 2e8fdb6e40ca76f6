import { Download, FilePlus2, SearchX } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ChangeFilterForm } from "@/components/changes/change-filter-form";
import { ChangePagination } from "@/components/changes/change-pagination";
import { ChangeTable } from "@/components/changes/change-table";
import { ChangesTabs } from "@/components/changes/changes-tabs";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import { changeExportHref } from "@/lib/changes/export";
import { changeQueryInput, changeQueryParams, isFiltered, ZChangeQuery, type ChangeSort, type SortDir } from "@/lib/changes/filters";
import { changeFilterOptions, listChanges, type ChangePage } from "@/lib/changes/list";
import { AppError } from "@/lib/errors";
import { can } from "@/lib/rbac/permissions";
import { parseInput } from "@/lib/validation/parse";

export const metadata: Metadata = { title: "Changes" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const buttonLink =
  "inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-semibold shadow-sm transition";
const primary = `${buttonLink} bg-indigo-600 text-white hover:bg-indigo-500`;
const secondary = `${buttonLink} border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800`;

const first = (v: string | string[] | undefined) => [v].flat()[0] || undefined;

export default async function ChangesPage({ searchParams }: Props) {
  const user = await requirePermission("change.read");
  const params = await searchParams;
  const values = changeQueryInput(params);
  const parsed = parseInput(ZChangeQuery, values);
  const options = await changeFilterOptions();
  let page: ChangePage | null = null;
  let cursorError: string | null = null;
  if (parsed.ok) {
    try {
      page = await listChanges(user, parsed.data, { after: first(params.after), before: first(params.before) });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "invalid_input") throw err;
      cursorError = err.message;
    }
  }
  const mayCreate = can(user.role, "change.create");
  const filtered = parsed.ok && isFiltered(parsed.data);
  const queryString = parsed.ok ? changeQueryParams(parsed.data).toString() : "";
  const hrefFor = (sort: ChangeSort, dir: SortDir) => {
    const qs = parsed.ok ? changeQueryParams(parsed.data, { sort, dir }).toString() : "";
    return qs ? `/changes?${qs}` : "/changes";
  };

  return (
    <>
      <PageHeader
        title="Changes"
        description="Every change to production, from draft through approval to deployment and review."
        actions={
          mayCreate ? (
            <Link href="/changes/new" className={primary}>
              <FilePlus2 aria-hidden="true" className="h-4 w-4" />
              New change request
            </Link>
          ) : null
        }
      />
      <ChangesTabs />
      <div className="space-y-6">
        <Card title="Filters">
          <ChangeFilterForm values={values} options={options} errors={parsed.ok ? undefined : parsed.fieldErrors} />
        </Card>
        <section aria-labelledby="changes-results" className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
            <h2 id="changes-results" className="text-sm font-semibold">
              {filtered ? "Matching change requests" : "Change requests"}
            </h2>
            {parsed.ok && page?.changes.length ? (
              <a href={changeExportHref(parsed.data)} className={`${secondary} py-1.5`} download>
                <Download aria-hidden="true" className="h-4 w-4" />
                Export CSV
                <span className="sr-only">{filtered ? " of every matching change" : " of every change"}</span>
              </a>
            ) : null}
          </div>
          {!parsed.ok ? (
            <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">Correct the filters above to see change requests.</p>
          ) : cursorError ? (
            <div className="p-4">
              <Alert>
                {cursorError}{" "}
                <Link href={hrefFor(parsed.data.sort, parsed.data.dir)} className="font-semibold underline">
                  First page
                </Link>
              </Alert>
            </div>
          ) : page && page.changes.length ? (
            <>
              <ChangeTable
                changes={page.changes}
                caption={`${filtered ? "Matching change requests" : "Change requests"}, sorted by ${parsed.data.sort === "plannedStart" ? "planned start" : parsed.data.sort === "createdAt" ? "date raised" : "number"}, ${parsed.data.dir === "asc" ? "ascending" : "descending"}`}
                sort={parsed.data.sort}
                dir={parsed.data.dir}
                hrefFor={hrefFor}
              />
              <ChangePagination queryString={queryString} prev={page.prev} next={page.next} shown={page.changes.length} />
            </>
          ) : (
            <EmptyState filtered={filtered} mayCreate={mayCreate} />
          )}
        </section>
      </div>
    </>
  );
}

function EmptyState({ filtered, mayCreate }: { filtered: boolean; mayCreate: boolean }) {
  return (
    <div className="flex flex-col items-center gap-3 px-4 py-12 text-center">
      <SearchX aria-hidden="true" className="h-8 w-8 text-slate-400" />
      {filtered ? (
        <>
          <p className="font-medium">No change request matches these filters.</p>
          <p className="text-sm text-slate-600 dark:text-slate-400">Widen the date range, tick more statuses, or clear the filters.</p>
          <Link href="/changes" className={secondary}>
            Clear filters
          </Link>
        </>
      ) : (
        <>
          <p className="font-medium">No change requests yet.</p>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {mayCreate
              ? "Raise one to plan a change to a service: it collects its checklist evidence and approvals here."
              : "Change requests appear here once operators raise them."}
          </p>
          {mayCreate ? (
            <Link href="/changes/new" className={primary}>
              <FilePlus2 aria-hidden="true" className="h-4 w-4" />
              New change request
            </Link>
          ) : null}
        </>
      )}
    </div>
  );
}
