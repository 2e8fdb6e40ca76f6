import { Badge } from "@/components/ui/badge";
import { certificateWarning, displayState, type CheckView } from "@/lib/health/check-queries";
import { checkTarget } from "@/lib/health/check-schemas";
import { formatDate, formatDateTime, timeAgo } from "@/lib/ui/format";
import { CheckRowActions } from "./check-row-actions";
import { HealthStateBadge } from "./health-state-badge";

const th = "px-3 py-2.5 font-medium";
const td = "px-3 py-3 align-top";

export function formatInterval(seconds: number): string {
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}

function LastResult({ check, now }: { check: CheckView; now: Date }) {
  const s = check.state;
  if (!s?.lastCheckedAt) return <span className="text-slate-500 dark:text-slate-400">Not probed yet</span>;
  return (
    <div className="space-y-0.5">
      <p>
        <span className={s.lastOk ? "font-medium text-emerald-700 dark:text-emerald-300" : "font-medium text-red-700 dark:text-red-300"}>
          {s.lastOk ? "OK" : "Failed"}
        </span>
        {s.lastLatencyMs !== null ? <span className="tabular-nums"> · {Math.round(s.lastLatencyMs).toLocaleString("en-GB")} ms</span> : null}
        {s.lastStatusCode !== null ? <span className="tabular-nums"> · {s.lastStatusCode}</span> : null}
      </p>
      <p className="text-xs text-slate-500 dark:text-slate-400" title={formatDateTime(s.lastCheckedAt)}>
        {timeAgo(s.lastCheckedAt, now)}
      </p>
      {s.lastError ? (
        <p className="line-clamp-2 max-w-64 text-xs text-red-700 dark:text-red-300" title={s.lastError}>
          {s.lastError}
        </p>
      ) : null}
    </div>
  );
}

function Certificate({ check, now }: { check: CheckView; now: Date }) {
  const expires = check.state?.certExpiresAt;
  if (check.kind !== "HTTP" || !expires) return <span className="text-slate-400 dark:text-slate-500">n/a</span>;
  const warning = certificateWarning(check, now);
  const days = Math.floor((expires.getTime() - now.getTime()) / 86_400_000);
  return (
    <div className="space-y-1">
      {warning === "expired" ? <Badge tone="danger">Expired</Badge> : null}
      {warning === "expiring" ? <Badge tone="warning">Expires in {days} day{days === 1 ? "" : "s"}</Badge> : null}
      <p className="whitespace-nowrap text-xs text-slate-500 dark:text-slate-400">{formatDate(expires)}</p>
    </div>
  );
}

/** A service's checks: what each probes, how it stands and since when, its last result, its certificate. */
export function ChecksTable({ serviceId, checks, canManage, now = new Date() }: { serviceId: string; checks: CheckView[]; canManage: boolean; now?: Date }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Health checks of this service</caption>
        <thead className="whitespace-nowrap border-b border-slate-200 bg-slate-50/80 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            <th scope="col" className={th}>Check</th>
            <th scope="col" className={th}>State</th>
            <th scope="col" className={th}>Last result</th>
            <th scope="col" className={th}>Certificate</th>
            {canManage ? <th scope="col" className={`${th} text-right`}>Actions</th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {checks.map((c) => {
            const state = displayState(c);
            return (
              <tr key={c.id} className="hover:bg-slate-50/60 dark:hover:bg-slate-800/30">
                <td className={`${td} min-w-56 max-w-md`}>
                  <p className="font-semibold">{c.name}</p>
                  <p className="break-all font-mono text-xs text-slate-600 dark:text-slate-300">
                    <span className="mr-1 rounded bg-slate-100 px-1 py-px font-sans text-[10px] font-semibold text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                      {c.kind === "HTTP" ? (c.url.startsWith("https:") ? "HTTPS" : "HTTP") : "TCP"}
                    </span>
                    {checkTarget(c)}
                  </p>
                  <p className="text-xs text-slate-500 dark:text-slate-400">
                    {formatInterval(c.intervalSeconds)} · timeout {c.timeoutMs.toLocaleString("en-GB")} ms · {c.retries} {c.retries === 1 ? "retry" : "retries"}
                  </p>
                </td>
                <td className={`${td} whitespace-nowrap`}>
                  <HealthStateBadge state={state} />
                  {state !== "PAUSED" && c.state ? (
                    <p className="mt-1 text-xs text-slate-500 dark:text-slate-400" title={formatDateTime(c.state.statusSince)}>
                      since {timeAgo(c.state.statusSince, now)}
                    </p>
                  ) : null}
                </td>
                <td className={td}>
                  <LastResult check={c} now={now} />
                </td>
                <td className={td}>
                  <Certificate check={c} now={now} />
                </td>
                {canManage ? (
                  <td className={`${td} w-96 min-w-96`}>
                    <CheckRowActions serviceId={serviceId} checkId={c.id} name={c.name} paused={c.paused} />
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
