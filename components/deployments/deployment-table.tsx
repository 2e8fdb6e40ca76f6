import Link from "next/link";
import type { DeploymentListRow } from "@/lib/deployments/queries";
import { formatDuration } from "@/lib/deployments/labels";
import { ColourName, DeploymentStatusBadge } from "./deployment-badges";

const started = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

const th = "px-3 py-2.5 font-medium";
const td = "px-3 py-2.5 align-top";

/**
 * The deployment history: one row per deployment, newest first. `hide` leaves out columns the
 * surrounding page already states (the service on a service page, the change on a change page).
 */
export function DeploymentTable({
  deployments,
  caption,
  hide = [],
}: {
  deployments: DeploymentListRow[];
  caption: string;
  hide?: ("service" | "change")[];
}) {
  const show = (c: "service" | "change") => !hide.includes(c);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="whitespace-nowrap border-b border-slate-200 bg-slate-50/80 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            <th scope="col" className={th}>Deployment / version</th>
            <th scope="col" className={th}>Outcome</th>
            {show("service") ? <th scope="col" className={th}>Service</th> : null}
            {show("change") ? <th scope="col" className={th}>Change</th> : null}
            <th scope="col" className={th}>Went live</th>
            <th scope="col" className={th}>Started (UTC)</th>
            <th scope="col" className={th}>Duration</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {deployments.map((d) => (
            <tr key={d.id} className="hover:bg-slate-50/60 dark:hover:bg-slate-800/30">
              <td className={`${td} whitespace-nowrap font-mono text-xs`}>
                <Link href={`/deployments/${d.reference}`} className="font-semibold text-indigo-700 hover:underline dark:text-indigo-300">
                  {d.reference}
                </Link>
                <span className="block text-slate-600 dark:text-slate-300">{d.version || "no version"}</span>
              </td>
              <td className={`${td} min-w-40 max-w-64`}>
                <DeploymentStatusBadge status={d.status} />
                {d.outcome ? (
                  <span className="mt-1 line-clamp-2 text-xs text-slate-600 dark:text-slate-300" title={d.outcome}>
                    {d.outcome}
                  </span>
                ) : null}
              </td>
              {show("service") ? (
                <td className={`${td} whitespace-nowrap`}>
                  <Link href={`/services/${d.service.id}`} className="hover:underline">
                    {d.service.name}
                  </Link>
                </td>
              ) : null}
              {show("change") ? (
                <td className={`${td} max-w-48`}>
                  <Link href={`/changes/${d.change.reference}`} className="whitespace-nowrap font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300">
                    {d.change.reference}
                  </Link>
                  <span className="block truncate text-xs text-slate-500 dark:text-slate-400" title={d.change.title}>
                    {d.change.title}
                  </span>
                </td>
              ) : null}
              <td className={td}>
                {/* The colour that took traffic during the run; after a rollback, also where traffic is now. */}
                {d.liveAt ? <ColourName colour={d.toColour} /> : <span className="text-slate-500 dark:text-slate-400">{d.finishedAt ? "No traffic moved" : "Not yet"}</span>}
                {d.finishedAt && d.liveColour && (d.liveColour !== d.toColour || !d.liveAt) ? (
                  <span className="block whitespace-nowrap text-xs text-slate-500 dark:text-slate-400">
                    ended on <ColourName colour={d.liveColour} />
                  </span>
                ) : null}
              </td>
              <td className={`${td} whitespace-nowrap`}>
                <time dateTime={d.startedAt.toISOString()} className="tabular-nums">
                  {started.format(d.startedAt)}
                </time>
                <span className="block text-xs text-slate-500 dark:text-slate-400">
                  by {d.triggeredBy.name}
                  {d.source === "api" ? " via API" : ""}
                </span>
              </td>
              <td className={`${td} whitespace-nowrap tabular-nums`}>
                {d.totalMs !== null ? formatDuration(d.totalMs) : "running"}
                {d.triggerToLiveMs !== null ? (
                  <span className="block text-xs text-slate-500 dark:text-slate-400">live after {formatDuration(d.triggerToLiveMs)}</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
