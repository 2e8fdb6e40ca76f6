import type { AuditRow } from "@/lib/audit/queries";

const timeFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "medium",
  timeZone: "UTC",
});

export function AuditTable({ events }: { events: AuditRow[] }) {
  if (!events.length) {
    return <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">No events recorded yet.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">#</th>
            <th scope="col" className="px-4 py-2 font-medium">Time (UTC)</th>
            <th scope="col" className="px-4 py-2 font-medium">Actor</th>
            <th scope="col" className="px-4 py-2 font-medium">Action</th>
            <th scope="col" className="px-4 py-2 font-medium">Target</th>
            <th scope="col" className="px-4 py-2 font-medium">Details</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {events.map((e) => (
            <tr key={e.seq}>
              <td className="px-4 py-2 font-mono text-xs text-slate-500">{e.seq}</td>
              <td className="whitespace-nowrap px-4 py-2 tabular-nums">{timeFormat.format(e.at)}</td>
              <td className="px-4 py-2">
                {e.actorLabel || "system"}
                {e.ip ? <span className="block text-xs text-slate-500">{e.ip}</span> : null}
              </td>
              <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
              <td className="px-4 py-2 text-xs">{e.targetType ? `${e.targetType} ${e.targetId}` : "—"}</td>
              <td className="max-w-xs truncate px-4 py-2 font-mono text-xs text-slate-600 dark:text-slate-400" title={e.changes}>
                {e.changes === "{}" ? "" : e.changes}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
