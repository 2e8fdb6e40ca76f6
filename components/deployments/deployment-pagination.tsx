import { ChevronLeft, ChevronRight, ChevronsLeft } from "lucide-react";
import Link from "next/link";

const linkClass =
  "inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800";
const disabledClass =
  "inline-flex items-center gap-1 rounded-md border border-slate-200 px-3 py-1.5 text-sm font-medium text-slate-400 dark:border-slate-800 dark:text-slate-600";

/** Newer/Older links carrying the filter and a keyset cursor (no page numbers: see lib/deployments/queries.ts). */
export function DeploymentPagination({ queryString, prev, next, shown }: { queryString: string; prev: string | null; next: string | null; shown: number }) {
  const href = (cursor?: string) => `/deployments?${[queryString, cursor].filter(Boolean).join("&")}`.replace(/\?$/, "");
  return (
    <nav aria-label="Deployment pages" className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm dark:border-slate-800">
      <p className="text-slate-600 dark:text-slate-400">
        {shown === 1 ? "1 deployment on this page" : `${shown} deployments on this page`}
        {next ? ", older ones on the next" : ""}
      </p>
      <div className="flex gap-2">
        {prev ? (
          <Link href={href()} className={linkClass}>
            <ChevronsLeft aria-hidden="true" className="h-4 w-4" />
            Newest
          </Link>
        ) : null}
        {prev ? (
          <Link href={href(`before=${encodeURIComponent(prev)}`)} className={linkClass} rel="prev">
            <ChevronLeft aria-hidden="true" className="h-4 w-4" />
            Newer
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            <ChevronLeft aria-hidden="true" className="h-4 w-4" />
            Newer
          </span>
        )}
        {next ? (
          <Link href={href(`after=${encodeURIComponent(next)}`)} className={linkClass} rel="next">
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
