import type { AuditRow } from "@/lib/audit/queries";

const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A compact, newest-first list of audit events for dashboards. */
export function AuditFeed({ events }: { events: AuditRow[] }) {
  if (!events.length) {
    return <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">No events recorded yet.</p>;
  }
  return (
    <ol className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Latest audit events">
      {events.map((e) => (
        <li key={e.seq} className="flex items-start justify-between gap-3 px-4 py-2.5">
          <div className="min-w-0">
            <p className="truncate font-mono text-xs font-medium text-slate-800 dark:text-slate-200">{e.action}</p>
            <p className="truncate text-xs text-slate-500 dark:text-slate-400">
              {e.actorLabel || "system"}
              {e.targetType ? ` · ${e.targetType}` : ""}
            </p>
          </div>
          <time dateTime={e.at.toISOString()} className="shrink-0 text-xs tabular-nums text-slate-500 dark:text-slate-400">
            {timeFormat.format(e.at)} UTC
          </time>
        </li>
      ))}
    </ol>
  );
}
