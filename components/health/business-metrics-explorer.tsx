"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { AutoRefreshToggle } from "@/components/charts/auto-refresh-toggle";
import { RangePicker, rangeQueryString, type RangeValue } from "@/components/charts/range-picker";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { Alert } from "@/components/ui/alert";
import { SelectField } from "@/components/ui/select-field";
import type { BusinessMetricChart, BusinessMetricSummary } from "@/lib/metrics/business";
import { AGGREGATION_LABELS, AGGREGATIONS, type Aggregation } from "@/lib/metrics/business-schemas";

/** What the page shows, all of it kept in the URL so a view can be bookmarked and shared. */
export type ExplorerState = {
  metric: string;
  agg: Aggregation;
  labels: Record<string, string>;
  range: RangeValue;
  /** Auto-refresh period in seconds; 0 = off. */
  refresh: number;
};

type Summary = Omit<BusinessMetricSummary, "lastAt"> & { lastAt: string | Date | null };

function dataQuery(state: ExplorerState): string {
  const q = new URLSearchParams(rangeQueryString(state.range));
  q.set("name", state.metric);
  q.set("agg", state.agg);
  for (const [k, v] of Object.entries(state.labels)) q.set(`label.${k}`, v);
  return q.toString();
}

/**
 * The page's own URL for a state: `metric` plus the data route's fields, except that a custom
 * range keeps the picker's own local times, so a reload shows them in the picker unchanged.
 */
function pageQuery(state: ExplorerState): string {
  const q = new URLSearchParams(dataQuery(state));
  q.delete("name");
  q.set("metric", state.metric);
  if (state.range.range === "custom" && state.range.from && state.range.to) {
    q.set("from", state.range.from);
    q.set("to", state.range.to);
  }
  if (state.refresh) q.set("refresh", String(state.refresh));
  return q.toString();
}

function bucketLabel(ms: number): string {
  if (ms % 86_400_000 === 0) return ms === 86_400_000 ? "day" : `${ms / 86_400_000} days`;
  if (ms % 3_600_000 === 0) return ms === 3_600_000 ? "hour" : `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return ms === 60_000 ? "minute" : `${ms / 60_000} minutes`;
  return `${ms / 1000} seconds`;
}

async function fetchChart(query: string): Promise<BusinessMetricChart> {
  const res = await fetch(`/api/health-data/business-metrics/query?${query}`, { cache: "no-store" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The chart could not be loaded (HTTP ${res.status}).`);
  }
  return (await res.json()) as BusinessMetricChart;
}

async function fetchMetrics(): Promise<Summary[]> {
  const res = await fetch("/api/health-data/business-metrics", { cache: "no-store" });
  if (!res.ok) throw new Error(`metrics: HTTP ${res.status}`);
  return ((await res.json()) as { metrics: Summary[] }).metrics;
}

/**
 * Pick a metric, narrow it by label values, choose how each bucket is aggregated and the range;
 * one chart draws a line per label set (20 at most) with a CSV of exactly what is shown.
 */
export function BusinessMetricsExplorer({ initialMetrics, initialState }: { initialMetrics: Summary[]; initialState: ExplorerState }) {
  const [state, setState] = useState(initialState);
  const { data: metrics = initialMetrics } = useQuery({
    queryKey: ["business-metrics", "list"],
    queryFn: fetchMetrics,
    initialData: initialMetrics,
    initialDataUpdatedAt: Date.now,
    refetchInterval: state.refresh ? Math.max(60, state.refresh) * 1000 : false,
  });
  const current = metrics.find((m) => m.name === state.metric);
  const query = dataQuery(state);
  const chart = useQuery({
    queryKey: ["business-metrics", "chart", query],
    queryFn: () => fetchChart(query),
    enabled: Boolean(current),
    placeholderData: keepPreviousData,
    refetchInterval: state.refresh ? state.refresh * 1000 : false,
    retry: false,
  });

  const update = (patch: Partial<ExplorerState>) => {
    const next = { ...state, ...patch };
    setState(next);
    // Next keeps useSearchParams in step with replaceState, without a server round trip.
    window.history.replaceState(null, "", `?${pageQuery(next)}`);
  };

  const metricOptions = useMemo(
    () => metrics.map((m) => ({ value: m.name, label: `${m.name} (${m.series} series)` })),
    [metrics],
  );
  const data = chart.data;
  const title = data ? `${data.name}: ${AGGREGATION_LABELS[data.agg].toLowerCase()} per ${bucketLabel(data.bucketMs)}` : state.metric;

  return (
    <div className="space-y-5">
      <section aria-label="Chart options" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <div className="sm:col-span-2">
            <SelectField
              id="bm-metric"
              label="Metric"
              value={current ? state.metric : ""}
              options={current ? metricOptions : [{ value: "", label: "Choose a metric" }, ...metricOptions]}
              onChange={(e) => update({ metric: e.target.value, labels: {} })}
            />
          </div>
          <SelectField
            id="bm-agg"
            label="Aggregation"
            title="How the points inside one bucket become one value"
            value={state.agg}
            options={AGGREGATIONS.map((a) => ({ value: a, label: AGGREGATION_LABELS[a] }))}
            onChange={(e) => update({ agg: e.target.value as Aggregation })}
          />
          {current?.labels.map((l) => (
            <SelectField
              key={l.key}
              id={`bm-label-${l.key}`}
              label={`Label ${l.key}`}
              hint={l.more ? "The first 50 values are listed." : undefined}
              value={state.labels[l.key] ?? ""}
              options={[{ value: "", label: "Any" }, ...l.values.map((v) => ({ value: v, label: v }))]}
              onChange={(e) => {
                const labels = { ...state.labels };
                if (e.target.value) labels[l.key] = e.target.value;
                else delete labels[l.key];
                update({ labels });
              }}
            />
          ))}
        </div>
        <div className="mt-4 flex flex-wrap items-end justify-between gap-4">
          <RangePicker value={state.range} onChange={(range) => update({ range })} />
          <AutoRefreshToggle value={state.refresh * 1000} onChange={(ms) => update({ refresh: ms / 1000 })} fetching={chart.isFetching} />
        </div>
      </section>

      {!current ? (
        <p className="rounded-xl border border-dashed border-slate-300 px-4 py-10 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
          {state.metric ? `There is no metric named ${state.metric}. ` : ""}Choose a metric above to chart it.
        </p>
      ) : chart.isError ? (
        <Alert>{chart.error.message}</Alert>
      ) : !data ? (
        <p role="status" className="rounded-xl border border-slate-200 px-4 py-10 text-center text-sm text-slate-500 dark:border-slate-800">
          Loading {state.metric}…
        </p>
      ) : (
        <div className="space-y-3" aria-busy={chart.isFetching}>
          {data.capped ? (
            <Alert tone="info">
              Showing the {data.series.length} most recently updated of {data.totalSeries.toLocaleString("en-US")} series. Choose a label value above to see the others.
            </Alert>
          ) : null}
          <TimeSeriesChart
            title={title}
            data={data.points}
            series={data.series}
            unit=""
            from={data.from}
            to={data.to}
            height={320}
            csvHref={`/api/health-data/business-metrics/query?${query}&format=csv`}
            emptyMessage={data.series.length ? "No points in this range. Try a longer range." : "No series match these label values."}
          />
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {data.series.length} series · one point per {bucketLabel(data.bucketMs)} (at most 1,000 per series) ·{" "}
            {state.refresh ? `refreshes every ${bucketLabel(state.refresh * 1000)}` : "auto-refresh off"}
            {current.lastAt ? ` · newest point ${new Date(current.lastAt).toLocaleString()}` : ""}
          </p>
        </div>
      )}
    </div>
  );
}
