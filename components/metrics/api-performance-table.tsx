"use client";

import { ArrowDown, ArrowUp } from "lucide-react";
import { useMemo, useState } from "react";
import type { RouteStats } from "@/lib/metrics/api-performance";

type SortKey = "route" | "requests" | "errorRatePct" | "p50Ms" | "p95Ms" | "p99Ms";
const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: "route", label: "Route", numeric: false },
  { key: "requests", label: "Requests", numeric: true },
  { key: "errorRatePct", label: "5xx", numeric: true },
  { key: "p50Ms", label: "p50", numeric: true },
  { key: "p95Ms", label: "p95", numeric: true },
  { key: "p99Ms", label: "p99", numeric: true },
];

const ms = (v: number | null) => (v === null ? "–" : v >= 1000 ? `${(v / 1000).toPrecision(3)} s` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);
const pct = (v: number) => (v === 0 ? "0 %" : v < 0.1 ? "< 0.1 %" : `${v.toFixed(1)} %`);
const th = "px-3 py-2.5 font-medium";
const td = "px-3 py-2 tabular-nums";

/** Per-route figures, sortable by any column (buttons in the headers, aria-sort on the sorted one). */
export function ApiPerformanceTable({ routes }: { routes: RouteStats[] }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "requests", desc: true });
  const rows = useMemo(() => {
    const sorted = [...routes].sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      if (sort.key === "route") return `${a.route} ${a.method}`.localeCompare(`${b.route} ${b.method}`);
      return ((x as number | null) ?? -1) - ((y as number | null) ?? -1);
    });
    return sort.desc ? sorted.reverse() : sorted;
  }, [routes, sort]);

  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Requests, 5xx share and latency per route, sorted by {COLUMNS.find((c) => c.key === sort.key)?.label}</caption>
        <thead className="whitespace-nowrap border-b border-slate-200 bg-slate-50/80 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            {COLUMNS.map((c) => {
              const active = sort.key === c.key;
              return (
                <th key={c.key} scope="col" className={`${th} ${c.numeric ? "text-right" : ""}`} aria-sort={active ? (sort.desc ? "descending" : "ascending") : undefined}>
                  <button
                    type="button"
                    className="inline-flex items-center gap-1 uppercase hover:text-slate-900 dark:hover:text-slate-100"
                    onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.numeric }))}
                  >
                    {c.label}
                    {active ? sort.desc ? <ArrowDown aria-hidden="true" className="h-3 w-3" /> : <ArrowUp aria-hidden="true" className="h-3 w-3" /> : null}
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((r) => (
            <tr key={`${r.method} ${r.route}`} className="hover:bg-slate-50/60 dark:hover:bg-slate-800/30">
              <td className="px-3 py-2">
                <span className="mr-2 inline-block w-12 font-mono text-xs font-semibold text-slate-500">{r.method}</span>
                <span className="break-all font-mono text-xs">{r.route}</span>
              </td>
              <td className={`${td} text-right`}>{r.requests.toLocaleString("en-GB")}</td>
              <td className={`${td} text-right ${r.errors ? "font-semibold text-red-700 dark:text-red-400" : ""}`}>{pct(r.errorRatePct)}</td>
              <td className={`${td} text-right`}>{ms(r.p50Ms)}</td>
              <td className={`${td} text-right`}>{ms(r.p95Ms)}</td>
              <td className={`${td} text-right`}>{ms(r.p99Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Horizontal bars of p95 latency for the busiest routes; the numbers are in the table too. */
export function ApiLatencyBars({ routes, limit = 12 }: { routes: RouteStats[]; limit?: number }) {
  const top = [...routes].sort((a, b) => b.requests - a.requests).slice(0, limit);
  const max = Math.max(1, ...top.map((r) => r.p95Ms ?? 0));
  return (
    <figure aria-labelledby="api-bars-title" className="space-y-2 p-4">
      <figcaption id="api-bars-title" className="text-sm font-semibold">
        p95 latency of the {top.length} busiest routes
      </figcaption>
      <ul className="space-y-1.5">
        {top.map((r) => (
          <li key={`${r.method} ${r.route}`} className="grid grid-cols-[minmax(0,16rem)_1fr_4.5rem] items-center gap-3 text-xs">
            <span className="truncate font-mono" title={`${r.method} ${r.route}`}>
              {r.method} {r.route}
            </span>
            <span className="h-3 rounded-sm bg-slate-100 dark:bg-slate-800" aria-hidden="true">
              <span className={`block h-3 rounded-sm ${r.errors ? "bg-[#D55E00]" : "bg-[#0072B2]"}`} style={{ width: `${Math.max(1, ((r.p95Ms ?? 0) / max) * 100)}%` }} />
            </span>
            <span className="text-right tabular-nums">{ms(r.p95Ms)}</span>
          </li>
        ))}
      </ul>
      <p className="text-xs text-slate-500 dark:text-slate-400">Orange bars: routes that answered 5xx at least once.</p>
    </figure>
  );
}
