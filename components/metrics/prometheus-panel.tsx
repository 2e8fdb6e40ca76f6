"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { AutoRefreshToggle } from "@/components/charts/auto-refresh-toggle";
import { RangePicker, rangeQueryString, type RangeValue } from "@/components/charts/range-picker";
import { TimeSeriesChart, type ChartPoint } from "@/components/charts/time-series-chart";
import type { Unit } from "@/lib/charts/format";

/** What a panel route answers (lib/metrics/panels.ts PanelData). */
type PanelResponse = {
  title: string;
  unit: Unit;
  yDomain?: [number, number];
  series: { key: string; label: string }[];
  points: ChartPoint[];
  from: number;
  to: number;
  stepMs: number;
  notice: string | null;
};

async function fetchPanel(url: string): Promise<PanelResponse> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => null)) as (PanelResponse & { error?: { message?: string } }) | null;
  if (!res.ok || !body) throw new Error(body?.error?.message ?? `The panel could not be loaded (HTTP ${res.status}).`);
  return body;
}

const SPAN_MS: Record<string, number> = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };

/**
 * One Prometheus panel: fetched from a portal route (never from Prometheus itself) for the chosen
 * range, refreshed every `refreshMs`, drawn by the shared TimeSeriesChart with a CSV link. A
 * failure (bad query, Prometheus down, selector missing) is said in place of the chart.
 */
export function PrometheusPanel({
  endpoint,
  params,
  title,
  unit,
  yDomain,
  range,
  refreshMs,
  footer,
}: {
  endpoint: string;
  /** The panel's own query fields (`panel=cpu`), without the range. */
  params: Record<string, string>;
  title: string;
  unit: Unit;
  yDomain?: [number, number];
  range: RangeValue;
  refreshMs: number;
  footer?: ReactNode;
}) {
  const qs = `${new URLSearchParams(params).toString()}&${rangeQueryString(range)}`;
  const { data, error, isPending } = useQuery({
    queryKey: ["prometheus-panel", endpoint, qs],
    queryFn: () => fetchPanel(`${endpoint}?${qs}`),
    refetchInterval: refreshMs || false,
    retry: false,
    placeholderData: (previous) => previous,
  });
  // Only for the axis before the first answer arrives (the answer carries the real window).
  const [now] = useState(() => Date.now());
  const from = data?.from ?? (range.range === "custom" && range.from ? new Date(range.from).getTime() : now - (SPAN_MS[range.range] ?? 86_400_000));
  const to = data?.to ?? (range.range === "custom" && range.to ? new Date(range.to).getTime() : now);
  const message = error ? error.message : isPending ? "Loading…" : "No data in this range: the query matched no series.";
  return (
    <div className="space-y-1">
      <TimeSeriesChart
        title={title}
        data={error ? [] : (data?.points ?? [])}
        series={error ? [] : (data?.series ?? [])}
        unit={data?.unit ?? unit}
        yDomain={yDomain}
        from={from}
        to={to}
        csvHref={`${endpoint}?${qs}&format=csv`}
        emptyMessage={message}
      />
      {data?.notice && !error ? (
        <p role="status" className="px-1 text-xs text-amber-800 dark:text-amber-300">
          {data.notice}
        </p>
      ) : null}
      {footer}
    </div>
  );
}

/** The range picker and the auto-refresh choice every panel grid shares. */
export function PanelToolbar({
  range,
  onRange,
  refreshMs,
  onRefresh,
}: {
  range: RangeValue;
  onRange: (r: RangeValue) => void;
  refreshMs: number;
  onRefresh: (ms: number) => void;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <RangePicker value={range} onChange={onRange} />
      <AutoRefreshToggle value={refreshMs} onChange={onRefresh} />
    </div>
  );
}
