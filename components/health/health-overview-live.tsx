"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { EnvironmentBadge } from "@/components/services/environment-badge";
import { Badge } from "@/components/ui/badge";
import { Card, Stat } from "@/components/ui/card";
import { formatValue } from "@/lib/charts/format";
import { formatDeploymentNumber } from "@/lib/deployments/number";
import type { HealthOverview, OverviewService, THealthOverviewFilter } from "@/lib/health/overview";
import { timeAgo } from "@/lib/ui/format";
import { AutoRefreshToggle } from "@/components/charts/auto-refresh-toggle";
import { HealthStateBadge } from "./health-state-badge";

function uptimeTone(v: number | null): string {
  if (v === null) return "text-slate-400 dark:text-slate-500";
  if (v < 95) return "text-red-700 dark:text-red-400 font-semibold";
  if (v < 99.9) return "text-amber-700 dark:text-amber-400";
  return "";
}

const DEPLOY_TONE: Record<string, "success" | "danger" | "warning" | "info"> = {
  SUCCEEDED: "success",
  FAILED: "danger",
  ROLLED_BACK: "warning",
  ROLLING_BACK: "warning",
  RUNNING: "info",
};
const DEPLOY_LABEL: Record<string, string> = { SUCCEEDED: "live", FAILED: "failed", ROLLED_BACK: "rolled back", ROLLING_BACK: "rolling back", RUNNING: "running" };

function ServiceRow({ s, canManage }: { s: OverviewService; canManage: boolean }) {
  const uptime = (v: number | null) => <td className={`px-3 py-2.5 text-right tabular-nums ${uptimeTone(v)}`}>{formatValue(v, "percent")}</td>;
  return (
    <tr className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
      <th scope="row" className="min-w-44 px-4 py-2.5 font-medium">
        <Link href={`/health/${s.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
          {s.name}
        </Link>
        <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">
          {s.checks.total === 0
            ? "No checks"
            : `${s.checks.up} up${s.checks.down ? ` · ${s.checks.down} down` : ""}${s.checks.pending ? ` · ${s.checks.pending} pending` : ""}${s.checks.paused ? ` · ${s.checks.paused} paused` : ""} of ${s.checks.total}`}
        </span>
      </th>
      <td className="px-3 py-2.5">
        <HealthStateBadge state={s.state} />
      </td>
      {s.state === "NO_CHECKS" ? (
        <td colSpan={4} className="px-3 py-2.5 text-sm text-slate-500 dark:text-slate-400">
          Not monitored yet.{" "}
          {canManage ? (
            <Link href={`/health/${s.id}/checks/new`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              Add a check<span className="sr-only"> to {s.name}</span>
            </Link>
          ) : null}
        </td>
      ) : (
        <>
          {uptime(s.uptime24h)}
          {uptime(s.uptime7d)}
          {uptime(s.uptime30d)}
          <td className="px-3 py-2.5 text-right tabular-nums">{formatValue(s.p95LatencyMs24h, "ms")}</td>
        </>
      )}
      <td className="whitespace-nowrap px-3 py-2.5">
        {s.lastDeployment ? (
          <span className="flex flex-col gap-0.5">
            <span className="flex items-center gap-1.5">
              <Link href={`/deployments/${formatDeploymentNumber(s.lastDeployment.number)}`} className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300">
                {formatDeploymentNumber(s.lastDeployment.number)}
              </Link>
              <Badge tone={DEPLOY_TONE[s.lastDeployment.status] ?? "neutral"}>{DEPLOY_LABEL[s.lastDeployment.status] ?? s.lastDeployment.status}</Badge>
            </span>
            <span className="text-xs text-slate-500 dark:text-slate-400">
              {s.lastDeployment.version} · {timeAgo(new Date(s.lastDeployment.finishedAt ?? s.lastDeployment.startedAt))}
            </span>
          </span>
        ) : (
          <span className="text-xs text-slate-400 dark:text-slate-500">None</span>
        )}
      </td>
      <td className="px-3 py-2.5">{s.ownerTeam}</td>
      <td className="px-3 py-2.5">
        <EnvironmentBadge environment={s.environment} />
      </td>
    </tr>
  );
}

/**
 * The overview's live part: summary figures and the service table, refetched from
 * /api/health-data/overview on the chosen interval (60 s unless changed).
 */
export function HealthOverviewLive({ initial, filter, canManage }: { initial: HealthOverview; filter: THealthOverviewFilter; canManage: boolean }) {
  const [refreshMs, setRefreshMs] = useState(60_000);
  const qs = new URLSearchParams(
    Object.entries(filter)
      .filter((e): e is [string, string | number] => Boolean(e[1]))
      .map(([k, v]) => [k, String(v)]),
  ).toString();
  const { data, isFetching, isError } = useQuery({
    queryKey: ["health-overview", qs],
    queryFn: async (): Promise<HealthOverview> => {
      const res = await fetch(`/api/health-data/overview?${qs}`, { headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return (await res.json()) as HealthOverview;
    },
    initialData: initial,
    refetchInterval: refreshMs || false,
  });
  const { totals, services } = data;
  const monitored = data.matching - totals.services.NO_CHECKS;
  const pageHref = (page: number) => {
    const q = new URLSearchParams(qs);
    q.set("page", String(page));
    return `/health?${q}`;
  };
  const first = (data.page - 1) * data.pageSize + 1;
  return (
    <div className="space-y-6">
      <section aria-label="Summary" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Services down" value={<span className={totals.services.DOWN ? "text-red-700 dark:text-red-400" : ""}>{totals.services.DOWN}</span>} hint={`of ${monitored} monitored`} />
        <Stat label="Services pending" value={totals.services.PENDING} hint="waiting for a first verdict" />
        <Stat label="Services up" value={<span className="text-emerald-700 dark:text-emerald-400">{totals.services.UP}</span>} hint={`${totals.services.PAUSED} paused · ${totals.services.NO_CHECKS} without checks`} />
        <Stat label="Checks up" value={`${totals.checks.up} / ${totals.checks.total - totals.checks.paused}`} hint={`${totals.checks.down} down · ${totals.checks.pending} pending · ${totals.checks.paused} paused`} />
      </section>
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
          <h2 className="text-sm font-semibold">
            Services ({data.matching}){data.pageCount > 1 ? `, worst first: ${first}–${first + services.length - 1}` : ""}
          </h2>
          <div className="flex items-center gap-3">
            {isError ? (
              <span role="status" className="text-xs text-red-700 dark:text-red-400">
                Could not refresh; showing the last data.
              </span>
            ) : (
              <span className="text-xs text-slate-500 dark:text-slate-400">Updated {new Date(data.generatedAt).toISOString().slice(11, 19)} UTC</span>
            )}
            <AutoRefreshToggle value={refreshMs} onChange={setRefreshMs} fetching={isFetching} />
          </div>
        </div>
        {services.length ? (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Service health</caption>
              <thead className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Service</th>
                  <th scope="col" className="px-3 py-2 font-medium">State</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">Uptime 24 h</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">7 d</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">30 d</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">p95 24 h</th>
                  <th scope="col" className="px-3 py-2 font-medium">Last deployment</th>
                  <th scope="col" className="px-3 py-2 font-medium">Owner team</th>
                  <th scope="col" className="px-3 py-2 font-medium">Environment</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {services.map((s) => (
                  <ServiceRow key={s.id} s={s} canManage={canManage} />
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">No service matches this filter.</p>
        )}
        {data.pageCount > 1 ? (
          <nav aria-label="Pages" className="flex items-center justify-between border-t border-slate-200 px-4 py-3 text-sm dark:border-slate-800">
            {data.page > 1 ? (
              <Link href={pageHref(data.page - 1)} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                Previous {data.pageSize}
              </Link>
            ) : (
              <span />
            )}
            <span className="text-slate-500 dark:text-slate-400">
              Page {data.page} of {data.pageCount}
            </span>
            {data.page < data.pageCount ? (
              <Link href={pageHref(data.page + 1)} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                Next {data.pageSize}
              </Link>
            ) : (
              <span />
            )}
          </nav>
        ) : null}
      </Card>
    </div>
  );
}
