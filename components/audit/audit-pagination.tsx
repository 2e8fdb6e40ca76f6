import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";

const linkClass =
  "inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800";
const disabledClass =
  "inline-flex items-center gap-1 rounded-md border border-slate-200 px-3 py-1.5 text-sm font-medium text-slate-400 dark:border-slate-800 dark:text-slate-600";

/** Newer/Older links that carry the filter and a sequence-number cursor (keyset, never OFFSET). */
export function AuditPagination({
  filterQuery,
  newer,
  older,
  range,
}: {
  filterQuery: string;
  newer: number | null;
  older: number | null;
  range: { newest: number; oldest: number } | null;
}) {
  const href = (cursor: string) => `/audit?${[filterQuery, cursor].filter(Boolean).join("&")}`;
  return (
    <nav
      aria-label="Audit trail pages"
      className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm dark:border-slate-800"
    >
      <p className="text-slate-600 dark:text-slate-400">
        {range ? (
          <>
            Events <span className="font-medium tabular-nums text-slate-900 dark:text-slate-100">#{range.newest}</span> to{" "}
            <span className="font-medium tabular-nums text-slate-900 dark:text-slate-100">#{range.oldest}</span>
          </>
        ) : (
          "No events on this page"
        )}
      </p>
      <div className="flex gap-2">
        {newer !== null ? (
          <Link href={href(`after=${newer}`)} className={linkClass} rel="prev">
            <ChevronLeft aria-hidden="true" className="h-4 w-4" />
            Newer
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            <ChevronLeft aria-hidden="true" className="h-4 w-4" />
            Newer
          </span>
        )}
        {older !== null ? (
          <Link href={href(`before=${older}`)} className={linkClass} rel="next">
            Older
            <ChevronRight aria-hidden="true" className="h-4 w-4" />
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            Older
            <ChevronRight aria-hidden="true" className="h-4 w-4" />
          </span>
        )}
      </div>
    </nav>
  );
}
