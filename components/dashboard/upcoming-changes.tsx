import Link from "next/link";
import { ChangeStatusBadge } from "@/components/changes/change-badges";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { FreezeNotice, UpcomingChange } from "@/lib/changes/work-queue";
import { ENVIRONMENT_LABELS } from "@/lib/services/schemas";
import { formatDateTime } from "@/lib/ui/format";

const timeOnly = new Intl.DateTimeFormat("en-GB", { timeStyle: "short", timeZone: "UTC" });

function windowText(c: UpcomingChange): string {
  const sameDay = c.plannedStart.toISOString().slice(0, 10) === c.plannedEnd.toISOString().slice(0, 10);
  return sameDay
    ? `${formatDateTime(c.plannedStart).replace(/ UTC$/, "")}–${timeOnly.format(c.plannedEnd)} UTC`
    : `${formatDateTime(c.plannedStart)} to ${formatDateTime(c.plannedEnd)}`;
}

function ConflictNote({ c }: { c: UpcomingChange }) {
  const freeze = c.conflicts.find((x) => x.kind === "freeze");
  if (freeze && freeze.kind === "freeze") {
    return <Badge tone={freeze.overridden ? "warning" : "danger"}>{freeze.overridden ? "In freeze (emergency override)" : `In freeze: ${freeze.reason}`}</Badge>;
  }
  const overlap = c.conflicts.find((x) => x.kind === "overlap");
  if (overlap && overlap.kind === "overlap") return <Badge tone="warning">{`Overlaps ${overlap.number}`}</Badge>;
  return null;
}

/** Approved and scheduled changes whose window falls in the next 7 days. */
export function UpcomingChanges({ changes, freezes, className }: { changes: UpcomingChange[]; freezes: FreezeNotice[]; className?: string }) {
  return (
    <Card title="Upcoming changes (next 7 days)" className={className}>
      {changes.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600 dark:text-slate-400">No approved or scheduled changes in the next 7 days.</p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Upcoming changes">
          {changes.map((c) => (
            <li key={c.id} className="px-4 py-3">
              <div className="flex items-start justify-between gap-3">
                <Link href={c.href} className="min-w-0 text-sm hover:underline">
                  <span className="font-mono text-xs font-semibold text-indigo-700 dark:text-indigo-300">{c.reference}</span>{" "}
                  <span className="font-medium">{c.title}</span>
                </Link>
                <ChangeStatusBadge status={c.status} />
              </div>
              <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                <time dateTime={c.plannedStart.toISOString()}>{windowText(c)}</time> · {c.service.name}
              </p>
              {c.conflicts.length ? (
                <p className="mt-1">
                  <ConflictNote c={c} />
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <div className="border-t border-slate-200 px-4 py-3 dark:border-slate-800">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Freeze windows, next 14 days</h3>
        {freezes.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">No freeze windows planned.</p>
        ) : (
          <ul className="mt-1 space-y-2 text-sm" aria-label="Freeze windows in the next 14 days">
            {freezes.map((f) => (
              <li key={f.id}>
                <span className="font-medium">{f.reason}</span>
                <span className="block text-xs text-slate-500 dark:text-slate-400">
                  {f.environment ? ENVIRONMENT_LABELS[f.environment] : "All environments"} ·{" "}
                  {f.active ? `in force until ${formatDateTime(f.endsAt)}` : `${formatDateTime(f.startsAt)} to ${formatDateTime(f.endsAt)}`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <p className="flex gap-4 border-t border-slate-100 px-4 py-2 text-xs dark:border-slate-800">
        <Link href="/changes/freeze-windows" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          Freeze windows
        </Link>
        <Link href="/changes/calendar" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          Open the change calendar
        </Link>
      </p>
    </Card>
  );
}
