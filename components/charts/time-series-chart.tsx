"use client";

import { format } from "date-fns";
import { useId, useMemo } from "react";
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatValue, type Unit } from "@/lib/charts/format";

/** One point: `t` is epoch ms (the bucket's start); each series key maps to a value or null (no data). */
export type ChartPoint = { t: number } & Record<string, number | null>;

export type ChartSeries = { key: string; label: string; color?: string };

/** Marks on the time axis: a deployment (a line) or a maintenance window (a shaded span). */
export type ChartAnnotation = {
  kind: "deployment" | "maintenance" | "event";
  at: number;
  /** For spans (maintenance): the end, epoch ms. */
  endAt?: number;
  label: string;
  tone?: "info" | "success" | "danger";
};

// Colour-blind-safe (Okabe-Ito), readable on light and dark backgrounds.
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"];
const TONE: Record<NonNullable<ChartAnnotation["tone"]>, string> = { info: "#6366f1", success: "#16a34a", danger: "#dc2626" };

type Props = {
  /** Names the figure for screen readers and heads the card. */
  title: string;
  data: readonly ChartPoint[];
  series: readonly ChartSeries[];
  unit: Unit;
  /** The requested window (epoch ms), so an empty or partial series still spans the whole range. */
  from: number;
  to: number;
  annotations?: readonly ChartAnnotation[];
  height?: number;
  /** Fixed y-axis bounds, e.g. [0, 100] for percentages. */
  yDomain?: [number, number];
  /** Link to the same data as CSV. */
  csvHref?: string;
  /** Shown instead of the chart when there is no data (says why). */
  emptyMessage?: string;
};

function tickFormat(from: number, to: number): string {
  const span = to - from;
  if (span <= 36 * 3_600_000) return "HH:mm";
  if (span <= 8 * 86_400_000) return "EEE HH:mm";
  return "d MMM";
}

/**
 * The one time-series chart: lines over a time axis with deployment and maintenance marks, units on
 * the axis and tooltip, a CSV link, and a text summary (last/min/max per series) that screen
 * readers get instead of the SVG.
 */
export function TimeSeriesChart({ title, data, series, unit, from, to, annotations = [], height = 220, yDomain, csvHref, emptyMessage }: Props) {
  const summaryId = useId();
  const pattern = tickFormat(from, to);
  const hasData = data.some((p) => series.some((s) => typeof p[s.key] === "number"));
  const summary = useMemo(
    () =>
      series.map((s) => {
        const values = data.map((p) => p[s.key]).filter((v): v is number => typeof v === "number");
        return {
          label: s.label,
          last: values.at(-1) ?? null,
          min: values.length ? Math.min(...values) : null,
          max: values.length ? Math.max(...values) : null,
        };
      }),
    [data, series],
  );

  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900" aria-labelledby={`${summaryId}-title`}>
      <figcaption className="mb-2 flex items-center justify-between gap-2">
        <span id={`${summaryId}-title`} className="text-sm font-semibold">
          {title}
        </span>
        {csvHref ? (
          <a href={csvHref} className="text-xs font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300" download>
            Download CSV<span className="sr-only"> of {title}</span>
          </a>
        ) : null}
      </figcaption>
      {hasData ? (
        <>
          <div aria-hidden="true" style={{ height }}>
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={data as ChartPoint[]} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="currentColor" className="text-slate-200 dark:text-slate-800" />
                <XAxis
                  dataKey="t"
                  type="number"
                  scale="time"
                  domain={[from, to]}
                  tickFormatter={(t: number) => format(t, pattern)}
                  tick={{ fontSize: 11, fill: "currentColor" }}
                  className="text-slate-500"
                  minTickGap={40}
                />
                <YAxis
                  width={76}
                  domain={yDomain ?? ["auto", "auto"]}
                  tickFormatter={(v: number) => formatValue(v, unit)}
                  tick={{ fontSize: 11, fill: "currentColor" }}
                  className="text-slate-500"
                />
                <Tooltip
                  labelFormatter={(t) => format(Number(t), "d MMM yyyy HH:mm:ss")}
                  formatter={(v) => formatValue(typeof v === "number" ? v : null, unit)}
                  contentStyle={{ fontSize: 12 }}
                />
                {annotations.map((a, i) =>
                  a.endAt !== undefined ? (
                    <ReferenceArea
                      key={`a${i}`}
                      x1={Math.max(a.at, from)}
                      x2={Math.min(a.endAt, to)}
                      fill={TONE[a.tone ?? "info"]}
                      fillOpacity={0.08}
                      stroke="none"
                      label={{ value: a.label, position: "insideTopLeft", fontSize: 10, fill: "currentColor" }}
                    />
                  ) : (
                    <ReferenceLine
                      key={`a${i}`}
                      x={a.at}
                      stroke={TONE[a.tone ?? "info"]}
                      strokeDasharray="4 3"
                      label={{ value: a.label, position: "insideTopRight", fontSize: 10, fill: "currentColor" }}
                    />
                  ),
                )}
                {series.map((s, i) => (
                  <Line
                    key={s.key}
                    type="monotone"
                    dataKey={s.key}
                    name={s.label}
                    stroke={s.color ?? PALETTE[i % PALETTE.length]}
                    strokeWidth={1.5}
                    dot={false}
                    isAnimationActive={false}
                    connectNulls={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
          <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
            {summary.map((s, i) => (
              <li key={s.label} className="flex items-center gap-1.5">
                <span aria-hidden="true" className="inline-block h-2 w-3 rounded-sm" style={{ background: series[i]?.color ?? PALETTE[i % PALETTE.length] }} />
                <span>
                  {s.label}: last {formatValue(s.last, unit)}, min {formatValue(s.min, unit)}, max {formatValue(s.max, unit)}
                </span>
              </li>
            ))}
            {annotations.length ? <li className="sr-only">{annotations.map((a) => `${a.label} at ${format(a.at, "d MMM HH:mm")}`).join("; ")}</li> : null}
          </ul>
        </>
      ) : (
        <p className="flex items-center justify-center rounded-lg bg-slate-50 text-sm text-slate-500 dark:bg-slate-800/50 dark:text-slate-400" style={{ height }}>
          {emptyMessage ?? "No data in this range."}
        </p>
      )}
    </figure>
  );
}
