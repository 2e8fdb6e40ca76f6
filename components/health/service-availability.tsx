"use client";

import { useQuery } from "@tanstack/react-query";
import { format } from "date-fns";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { RangePicker, rangeQueryString, type RangeValue } from "@/components/charts/range-picker";
import { TimeSeriesChart, type ChartAnnotation, type ChartPoint } from "@/components/charts/time-series-chart";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { SelectField } from "@/components/ui/select-field";
import { RANGE_PRESETS, type RangePreset } from "@/lib/charts/range";
import { formatValue } from "@/lib/charts/format";
import type { ServiceHealthEvents, ServiceSeriesResult } from "@/lib/health/service-health";
import { AutoRefreshToggle } from "@/components/charts/auto-refresh-toggle";

const local = (iso: string) => format(new Date(iso), "yyyy-MM-dd'T'HH:mm");

/** The range and check the URL names (so a link shares the exact view). */
function viewFromParams(params: URLSearchParams): { range: RangeValue; check: string } {
  const r = params.get("range") ?? "24h";
  const from = params.get("from");
  const to = params.get("to");
  const range: RangeValue =
    r === "custom" && from && to && !Number.isNaN(Date.parse(from)) && !Number.isNaN(Date.parse(to))
      ? { range: "custom", from: local(from), to: local(to) }
      : { range: (RANGE_PRESETS as readonly string[]).includes(r) ? (r as RangePreset) : "24h" };
  return { range, check: params.get("check") ?? "" };
}

function queryOf(view: { range: RangeValue; check: string }): string {
  const q = new URLSearchParams(rangeQueryString(view.range));
  if (view.check) q.set("check", view.check);
  return q.toString();
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
  }
  return (await res.json()) as T;
}

const DEPLOY_END: Record<string, { label: string; tone: ChartAnnotation["tone"] }> = {
  SUCCEEDED: { label: "finished", tone: "success" },
  FAILED: { label: "failed", tone: "danger" },
  ROLLED_BACK: { label: "rolled back", tone: "danger" },
};

function annotationsOf(events: ServiceHealthEvents | undefined): ChartAnnotation[] {
  if (!events) return [];
  const out: ChartAnnotation[] = [];
  for (const m of events.maintenance) out.push({ kind: "maintenance", at: Date.parse(m.startsAt), endAt: Date.parse(m.endsAt), label: `Maintenance: ${m.reason}` });
  // One line per deployment (when traffic moved, else when it started): its steps are seconds apart
  // and would print over each other; the list under the charts has the details.
  for (const d of events.deployments) {
    const end = d.finishedAt ? DEPLOY_END[d.status] : undefined;
    const label = end && d.status !== "SUCCEEDED" ? `${d.number} ${end.label}` : d.number;
    out.push({ kind: "deployment", at: Date.parse(d.liveAt ?? d.startedAt), label, tone: end?.tone === "danger" ? "danger" : "info" });
  }
  // Outages (unmuted changes to DOWN) while they stay readable on the axis; the timeline lists every change.
  // Checks that went down together (within 1 % of the range) share one mark.
  const downs = events.events.filter((e) => !e.muted && e.to === "DOWN").map((e) => ({ at: Date.parse(e.at), name: e.checkName })).sort((a, b) => a.at - b.at);
  const near = (Date.parse(events.range.to) - Date.parse(events.range.from)) / 100;
  const groups: { at: number; names: Set<string> }[] = [];
  for (const d of downs) {
    const g = groups.at(-1);
    if (g && d.at - g.at <= near) g.names.add(d.name);
    else groups.push({ at: d.at, names: new Set([d.name]) });
  }
  if (groups.length <= 12) {
    for (const g of groups) out.push({ kind: "event", at: g.at, label: g.names.size === 1 ? `${[...g.names][0]} down` : `${g.names.size} checks down`, tone: "danger" });
  }
  return out;
}

const STATUS_TONE = { UP: "success", DOWN: "danger", PENDING: "warning" } as const;

function Timeline({ events }: { events: ServiceHealthEvents | undefined }) {
  if (!events) return <p className="px-4 py-6 text-sm text-slate-500">Loading…</p>;
  if (!events.events.length) return <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">No state changes in this range.</p>;
  return (
    <ol className="divide-y divide-slate-100 dark:divide-slate-800">
      {events.events.map((e) => (
        <li key={e.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2.5 text-sm">
          <time dateTime={e.at} className="w-40 shrink-0 tabular-nums text-slate-600 dark:text-slate-400">
            {format(new Date(e.at), "d MMM HH:mm:ss")}
          </time>
          <span className="min-w-32 font-medium">{e.checkName}</span>
          <span className="flex items-center gap-1.5">
            <Badge tone={STATUS_TONE[e.from]}>{e.from}</Badge>
            <span aria-label="to">→</span>
            <Badge tone={STATUS_TONE[e.to]}>{e.to}</Badge>
          </span>
          {e.muted ? <Badge tone="neutral">muted (maintenance)</Badge> : null}
          <span className="min-w-0 flex-1 break-words text-slate-600 dark:text-slate-400">{e.reason}</span>
        </li>
      ))}
      {events.truncated ? <li className="px-4 py-2 text-xs text-slate-500">Only the newest {events.events.length} changes are listed; narrow the range to see older ones.</li> : null}
    </ol>
  );
}

/**
 * A service's Availability tab: check selector, range picker and auto-refresh (both in the URL /
 * state), availability, response-time and error-rate charts with deployment and maintenance
 * marks, a CSV link per chart, and the state-change timeline.
 */
export function ServiceAvailability({
  serviceId,
  initialQuery,
  initialSeries,
  initialEvents,
}: {
  serviceId: string;
  initialQuery: string;
  initialSeries: ServiceSeriesResult;
  initialEvents: ServiceHealthEvents;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const view = viewFromParams(new URLSearchParams(params.toString()));
  const qs = queryOf(view);
  const [refreshMs, setRefreshMs] = useState(60_000);
  const base = `/api/health-data/services/${serviceId}`;

  const series = useQuery({
    queryKey: ["health-series", serviceId, qs],
    queryFn: () => getJson<ServiceSeriesResult>(`${base}/series?${qs}`),
    initialData: qs === initialQuery ? initialSeries : undefined,
    placeholderData: (prev) => prev,
    refetchInterval: refreshMs || false,
  });
  const events = useQuery({
    queryKey: ["health-events", serviceId, qs],
    queryFn: () => getJson<ServiceHealthEvents>(`${base}/events?${qs}`),
    initialData: qs === initialQuery ? initialEvents : undefined,
    placeholderData: (prev) => prev,
    refetchInterval: refreshMs || false,
  });

  const navigate = (next: { range: RangeValue; check: string }) => router.replace(`${pathname}?${queryOf(next)}`, { scroll: false });
  const data = series.data ?? initialSeries;
  const checks = data.checks;
  const points = useMemo(
    () =>
      data.series.points.map((p) => ({ t: p.t, availability: p.availability, p50: p.p50, p95: p.p95, errorRate: p.errorRate }) as ChartPoint),
    [data],
  );
  const annotations = useMemo(() => annotationsOf(events.data), [events.data]);
  const from = Date.parse(data.range.from);
  const to = Date.parse(data.range.to);
  const csvHref = `${base}/series?${qs}&format=csv`;
  const probes = data.series.points.reduce((n, p) => n + p.count, 0);
  const failures = data.series.points.reduce((n, p) => n + (p.errorRate !== null ? (p.errorRate / 100) * p.count : 0), 0);
  const availability = probes ? ((probes - failures) / probes) * 100 : null;
  const p95s = data.series.points.map((p) => p.p95).filter((v): v is number => v !== null);
  const bucketLabel = data.series.bucketMs >= 3_600_000 ? `${data.series.bucketMs / 3_600_000} h` : data.series.bucketMs >= 60_000 ? `${data.series.bucketMs / 60_000} min` : `${data.series.bucketMs / 1000} s`;

  if (!checks.length) return null;
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-wrap items-end gap-3">
          <div className="w-64">
            <SelectField
              id="health-check"
              label="Check"
              value={view.check}
              onChange={(e) => navigate({ ...view, check: e.target.value })}
              options={[{ value: "", label: `All checks (${checks.length})` }, ...checks.map((c) => ({ value: c.id, label: `${c.name}${c.paused ? " (paused)" : ""}` }))]}
            />
          </div>
          <RangePicker key={qs} value={view.range} onChange={(range) => navigate({ ...view, range })} />
        </div>
        <AutoRefreshToggle value={refreshMs} onChange={setRefreshMs} fetching={series.isFetching || events.isFetching} />
      </div>
      {series.isError ? (
        <p role="status" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/10 dark:text-red-300">
          Could not load the charts: {series.error.message}
        </p>
      ) : null}
      <dl className="grid gap-4 sm:grid-cols-3">
        {[
          ["Availability in range", formatValue(availability, "percent")],
          ["Worst p95 in range", formatValue(p95s.length ? Math.max(...p95s) : null, "ms")],
          ["Probes in range", probes.toLocaleString("en-GB")],
        ].map(([k, v]) => (
          <div key={k} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{k}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums">{v}</dd>
          </div>
        ))}
      </dl>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        {format(from, "d MMM yyyy HH:mm")} – {format(to, "d MMM yyyy HH:mm")} · one point per {bucketLabel} ({data.series.source === "raw" ? "raw probe results" : `${data.series.source} roll-ups`}) · latency of successful probes; p50 merged as their weighted mean, p95 as the worst value
      </p>
      <TimeSeriesChart title="Availability" data={points} series={[{ key: "availability", label: "Availability", color: "#009E73" }]} unit="percent" from={from} to={to} yDomain={[0, 100]} annotations={annotations} csvHref={csvHref} emptyMessage="No probe results in this range." />
      <TimeSeriesChart
        title="Response time"
        data={points}
        series={[
          { key: "p50", label: "p50", color: "#0072B2" },
          { key: "p95", label: "p95", color: "#E69F00" },
        ]}
        unit="ms"
        from={from}
        to={to}
        annotations={annotations}
        csvHref={csvHref}
        emptyMessage="No probe results in this range."
      />
      <TimeSeriesChart title="Error rate" data={points} series={[{ key: "errorRate", label: "Failed probes", color: "#D55E00" }]} unit="percent" from={from} to={to} annotations={annotations} csvHref={csvHref} height={160} emptyMessage="No probe results in this range." />
      <Card title="State changes">
        <Timeline events={events.data} />
      </Card>
      {events.data && (events.data.deployments.length || events.data.maintenance.length) ? (
        <Card title="Deployments and maintenance in range">
          <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
            {events.data.deployments.map((d) => (
              <li key={d.number} className="flex flex-wrap gap-x-3 px-4 py-2">
                <Link href={`/deployments/${d.number}`} className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300">
                  {d.number}
                </Link>
                <span>{d.version}</span>
                <span className="text-slate-600 dark:text-slate-400">
                  started {format(new Date(d.startedAt), "d MMM HH:mm")}
                  {d.finishedAt ? `, ${DEPLOY_END[d.status]?.label ?? d.status.toLowerCase()} ${format(new Date(d.finishedAt), "d MMM HH:mm")}` : ", running"}
                </span>
              </li>
            ))}
            {events.data.maintenance.map((m) => (
              <li key={m.id} className="flex flex-wrap gap-x-3 px-4 py-2">
                <Badge tone="neutral">Maintenance</Badge>
                <span>{m.reason}</span>
                <span className="text-slate-600 dark:text-slate-400">
                  {format(new Date(m.startsAt), "d MMM HH:mm")} – {format(new Date(m.endsAt), "d MMM HH:mm")}
                  {m.cancelled ? " (cancelled early)" : ""}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
