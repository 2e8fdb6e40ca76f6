import { ChevronLeft, ChevronRight, ChevronsLeft } from "lucide-react";
import Link from "next/link";

const linkClass =
  "inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800";
const disabledClass =
  "inline-flex items-center gap-1 rounded-md border border-slate-200 px-3 py-1.5 text-sm font-medium text-slate-400 dark:border-slate-800 dark:text-slate-600";

/**
 * Previous/Next links carrying the filter and a keyset cursor. No page numbers or total: counting
 * 100,000 filtered rows on every view would cost more than the page itself.
 */
export function ChangePagination({
  queryString,
  prev,
  next,
  shown,
}: {
  queryString: string;
  prev: string | null;
  next: string | null;
  shown: number;
}) {
  const href = (cursor?: string) => `/changes?${[queryString, cursor].filter(Boolean).join("&")}`.replace(/\?$/, "");
  return (
    <nav
      aria-label="Change request pages"
      className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm dark:border-slate-800"
    >
      <p className="text-slate-600 dark:text-slate-400">
        {shown === 1 ? "1 change on this page" : `${shown} changes on this page`}
        {next ? ", more on the next" : ""}
      </p>
      <div className="flex gap-2">
        {prev ? (
          <Link href={href()} className={linkClass}>
            <ChevronsLeft aria-hidden="true" className="h-4 w-4" />
            First
          </Link>
        ) : null}
        {prev ? (
          <Link href={href(`before=${encodeURIComponent(prev)}`)} className={linkClass} rel="prev">
            <ChevronLeft aria-hidden="true" className="h-4 w-4" />
            Previous
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            <ChevronLeft aria-hidden="true" className="h-4 w-4" />
            Previous
          </span>
        )}
        {next ? (
          <Link href={href(`after=${encodeURIComponent(next)}`)} className={linkClass} rel="next">
            Next
            <ChevronRight aria-hidden="true" className="h-4 w-4" />
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled="true">
            Next
            <ChevronRight aria-hidden="true" className="h-4 w-4" />
          </span>
        )}
      </div>
    </nav>
  );
}
