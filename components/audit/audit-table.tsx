import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { changeEntries } from "@/lib/audit/details";
import type { AuditRow } from "@/lib/audit/queries";

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const timeFormat = new Intl.DateTimeFormat("en-GB", { timeStyle: "medium", timeZone: "UTC" });

type Tone = Parameters<typeof Badge>[0]["tone"];

/** Colour only hints at the kind of event; the action text says what happened. */
function actionTone(action: string): Tone {
  if (/(failed|denied|throttled)$/.test(action)) return "danger";
  if (/(revoked|revoked_all|deactivated|reset|rotated)$/.test(action)) return "warning";
  if (/^(audit|access)\./.test(action)) return "info";
  if (/(succeeded|created|enrolled|completed)$/.test(action)) return "success";
  return "neutral";
}

const filterLink = "rounded-sm underline-offset-2 hover:underline focus-visible:underline";

export function AuditTable({ events, caption = "Audit events, newest first" }: { events: AuditRow[]; caption?: string }) {
  if (!events.length) {
    return <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">No events match.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50/80 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2.5 text-right font-medium">#</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Time (UTC)</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Actor</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Action</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Target</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Details</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {events.map((e) => {
            const details = changeEntries(e.changes);
            return (
              <tr key={e.seq} className="align-top hover:bg-slate-50 dark:hover:bg-slate-800/40">
                <td className="px-4 pb-2.5 pt-3 text-right font-mono text-xs tabular-nums text-slate-500 dark:text-slate-400">{e.seq}</td>
                <td className="whitespace-nowrap px-4 py-2.5 tabular-nums">
                  {dateFormat.format(e.at)}
                  <span className="block text-xs text-slate-500 dark:text-slate-400">{timeFormat.format(e.at)}</span>
                </td>
                <td className="px-4 py-2.5">
                  {e.actorLabel ? (
                    <Link href={`/audit?${new URLSearchParams({ actor: e.actorLabel })}`} className={`whitespace-nowrap ${filterLink}`}>
                      {e.actorLabel}
                    </Link>
                  ) : (
                    <span className="text-slate-500 dark:text-slate-400">system</span>
                  )}
                  {e.ip ? <span className="block font-mono text-xs text-slate-500 dark:text-slate-400">{e.ip}</span> : null}
                </td>
                <td className="px-4 py-2.5">
                  <Badge tone={actionTone(e.action)}>
                    <span className="font-mono">{e.action}</span>
                  </Badge>
                </td>
                <td className="px-4 py-2.5 text-xs">
                  {e.targetType ? (
                    <Link
                      href={`/audit?${new URLSearchParams({ targetType: e.targetType, targetId: e.targetId })}`}
                      className={filterLink}
                    >
                      <span className="font-medium">{e.targetType}</span>
                      <span className="block break-all font-mono text-slate-500 dark:text-slate-400">{e.targetId}</span>
                    </Link>
                  ) : (
                    <span className="text-slate-400 dark:text-slate-500">—</span>
                  )}
                </td>
                <td className="min-w-56 max-w-md px-4 py-2.5 text-xs">
                  {details.length ? (
                    <dl className="space-y-0.5">
                      {details.map((d, i) => (
                        <div key={`${d.key}-${i}`} className="flex gap-1.5">
                          {d.key ? <dt className="shrink-0 text-slate-500 dark:text-slate-400">{d.key}:</dt> : null}
                          <dd className="break-words font-medium text-slate-800 dark:text-slate-200">{d.value}</dd>
                        </div>
                      ))}
                    </dl>
                  ) : (
                    <span className="text-slate-400 dark:text-slate-500">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
