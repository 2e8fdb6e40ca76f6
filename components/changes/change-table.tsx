import { ArrowDown, ArrowUp, ArrowUpDown, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { ChangeRiskBadge, ChangeStatusBadge } from "@/components/changes/change-badges";
import { Badge } from "@/components/ui/badge";
import type { ChangeSort, SortDir } from "@/lib/changes/filters";
import { TYPE_LABELS } from "@/lib/changes/labels";
import type { ChangeListRow } from "@/lib/changes/list";

const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });

/** "3 Dec 2026, 09:00–11:00" on one day; both dates when the window spans days. UTC. */
function windowText(start: Date, end: Date): { day: string; time: string } {
  const sameDay = start.toISOString().slice(0, 10) === end.toISOString().slice(0, 10);
  return sameDay
    ? { day: dayFormat.format(start), time: `${timeFormat.format(start)}–${timeFormat.format(end)}` }
    : { day: `${dayFormat.format(start)} ${timeFormat.format(start)}`, time: `to ${dayFormat.format(end)} ${timeFormat.format(end)}` };
}

const SORT_LABELS: Record<ChangeSort, string> = { number: "Number", plannedStart: "Window (UTC)", createdAt: "Raised" };

/** A column header that sorts by its column when followed; says the current order to screen readers. */
function SortHeader({
  column,
  sort,
  dir,
  hrefFor,
  className = "",
}: {
  column: ChangeSort;
  sort: ChangeSort;
  dir: SortDir;
  hrefFor: (sort: ChangeSort, dir: SortDir) => string;
  className?: string;
}) {
  const current = sort === column;
  // Following the current column's header reverses it; another column starts newest/highest first.
  const next: SortDir = current ? (dir === "asc" ? "desc" : "asc") : "desc";
  const Icon = !current ? ArrowUpDown : dir === "asc" ? ArrowUp : ArrowDown;
  return (
    <th scope="col" aria-sort={current ? (dir === "asc" ? "ascending" : "descending") : undefined} className={`px-3 py-2.5 font-medium ${className}`}>
      <Link
        href={hrefFor(column, next)}
        className="inline-flex items-center gap-1 rounded-sm uppercase hover:text-slate-900 focus-visible:underline dark:hover:text-slate-100"
      >
        {SORT_LABELS[column]}
        <Icon aria-hidden="true" className={`h-3.5 w-3.5 ${current ? "text-indigo-600 dark:text-indigo-400" : "opacity-50"}`} />
        <span className="sr-only">{`, sort ${next === "asc" ? "ascending" : "descending"}`}</span>
      </Link>
    </th>
  );
}

export function ChangeTable({
  changes,
  caption,
  sort,
  dir,
  hrefFor,
}: {
  changes: ChangeListRow[];
  caption: string;
  sort: ChangeSort;
  dir: SortDir;
  hrefFor: (sort: ChangeSort, dir: SortDir) => string;
}) {
  const header = { sort, dir, hrefFor };
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="whitespace-nowrap border-b border-slate-200 bg-slate-50/80 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            <SortHeader column="number" {...header} />
            <th scope="col" className="px-3 py-2.5 font-medium">Title</th>
            <th scope="col" className="px-3 py-2.5 font-medium">Service</th>
            <th scope="col" className="px-3 py-2.5 font-medium">Type / risk</th>
            <th scope="col" className="px-3 py-2.5 font-medium">Status</th>
            <th scope="col" className="px-3 py-2.5 font-medium">Requester</th>
            <SortHeader column="plannedStart" {...header} />
            <SortHeader column="createdAt" {...header} />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {changes.map((c) => {
            const w = windowText(c.plannedStart, c.plannedEnd);
            return (
              <tr key={c.id} className="align-top hover:bg-slate-50 dark:hover:bg-slate-800/40">
                <td className="whitespace-nowrap px-3 py-2.5 font-mono text-xs">
                  <Link href={`/changes/${c.reference}`} className="font-semibold text-indigo-700 hover:underline dark:text-indigo-300">
                    {c.reference}
                  </Link>
                </td>
                <td className="min-w-48 max-w-sm px-3 py-2.5">
                  <Link href={`/changes/${c.reference}`} className="font-medium text-slate-900 hover:underline dark:text-slate-100">
                    {c.title}
                  </Link>
                  {c.flags.retrospectiveDue ? (
                    <span className="mt-1 flex">
                      <Badge tone="warning">
                        <TriangleAlert aria-hidden="true" className="mr-1 h-3 w-3" />
                        Retrospective due
                      </Badge>
                    </span>
                  ) : null}
                </td>
                <td className="whitespace-nowrap px-3 py-2.5">
                  {c.service.name}
                  <span className="block text-xs text-slate-500 dark:text-slate-400">{c.service.environment === "PRODUCTION" ? "production" : "staging"}</span>
                </td>
                <td className="whitespace-nowrap px-3 py-2.5">
                  <span className={c.type === "EMERGENCY" ? "font-semibold text-red-700 dark:text-red-300" : ""}>{TYPE_LABELS[c.type]}</span>
                  <span className="mt-1 block">
                    <ChangeRiskBadge risk={c.risk} />
                  </span>
                </td>
                <td className="whitespace-nowrap px-3 py-2.5">
                  <ChangeStatusBadge status={c.status} />
                </td>
                <td className="whitespace-nowrap px-3 py-2.5">{c.requester.name}</td>
                <td className="whitespace-nowrap px-3 py-2.5 tabular-nums">
                  {w.day}
                  <span className="block text-xs text-slate-500 dark:text-slate-400">{w.time}</span>
                </td>
                <td className="whitespace-nowrap px-3 py-2.5 tabular-nums text-slate-600 dark:text-slate-400">{dayFormat.format(c.createdAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
