import os from "node:os";
import type { CurrentUser } from "../auth/sessions.ts";
import { metrics } from "../observability/metrics.ts";
import { assertPermission } from "../rbac/assert.ts";

/*
 * The portal's own API performance, from this instance's in-process prom-client registry
 * (lib/observability/metrics.ts): per route, requests, 5xx share and p50/p95/p99 estimated from
 * the histogram buckets the way PromQL's histogram_quantile does (linear within a bucket). The
 * figures cover this instance since it started; Prometheus (when configured) has the history.
 */

export type RouteStats = {
  method: string;
  route: string;
  requests: number;
  errors: number;
  /** 5xx share of requests, 0..100. */
  errorRatePct: number;
  meanMs: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
};

/** One histogram sample as prom-client's `get()` returns it. */
export type HistogramSample = { metricName?: string; labels: Partial<Record<string, string | number>>; value: number };

/**
 * The q-quantile of a cumulative histogram ([upper bound, count ≤ bound], sorted, last +Inf), as
 * histogram_quantile does: linear interpolation inside the bucket the rank falls in; the lowest
 * bucket starts at 0; a rank in the +Inf bucket answers the highest finite bound.
 */
export function histogramQuantile(q: number, buckets: readonly [number, number][]): number | null {
  if (!buckets.length) return null;
  const total = buckets[buckets.length - 1]![1];
  if (total <= 0) return null;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(bound)) return prevBound;
      if (count === prevCount) return bound;
      return prevBound + (bound - prevBound) * ((rank - prevCount) / (count - prevCount));
    }
    prevBound = bound;
    prevCount = count;
  }
  return prevBound;
}

/** Aggregates the histogram's samples per (method, route) over every status code. */
export function routeStatsFrom(samples: readonly HistogramSample[]): RouteStats[] {
  type Acc = { method: string; route: string; count: number; errors: number; sum: number; buckets: Map<number, number> };
  const byRoute = new Map<string, Acc>();
  for (const s of samples) {
    const method = String(s.labels.method ?? "");
    const route = String(s.labels.route ?? "");
    const key = `${method} ${route}`;
    let acc = byRoute.get(key);
    if (!acc) byRoute.set(key, (acc = { method, route, count: 0, errors: 0, sum: 0, buckets: new Map() }));
    const name = s.metricName ?? "";
    if (name.endsWith("_bucket")) {
      const le = s.labels.le === "+Inf" ? Infinity : Number(s.labels.le);
      acc.buckets.set(le, (acc.buckets.get(le) ?? 0) + s.value);
    } else if (name.endsWith("_count")) {
      acc.count += s.value;
      if (/^5\d\d$/.test(String(s.labels.status ?? ""))) acc.errors += s.value;
    } else if (name.endsWith("_sum")) {
      acc.sum += s.value;
    }
  }
  const toMs = (v: number | null) => (v === null ? null : Math.round(v * 1000 * 10) / 10);
  return [...byRoute.values()]
    .filter((a) => a.count > 0)
    .map((a) => {
      const buckets = [...a.buckets.entries()].sort(([x], [y]) => x - y);
      return {
        method: a.method,
        route: a.route,
        requests: a.count,
        errors: a.errors,
        errorRatePct: (a.errors / a.count) * 100,
        meanMs: Math.round((a.sum / a.count) * 1000 * 10) / 10,
        p50Ms: toMs(histogramQuantile(0.5, buckets)),
        p95Ms: toMs(histogramQuantile(0.95, buckets)),
        p99Ms: toMs(histogramQuantile(0.99, buckets)),
      };
    })
    .sort((x, y) => y.requests - x.requests);
}

export type ApiPerformance = { routes: RouteStats[]; totals: { requests: number; errors: number }; since: Date; instance: string };

/** This instance's figures (metrics.configure). */
export async function apiPerformance(actor: CurrentUser): Promise<ApiPerformance> {
  assertPermission(actor, "metrics.configure");
  const { values } = await metrics().httpDuration.get();
  const routes = routeStatsFrom(values as HistogramSample[]);
  const totals = routes.reduce((t, r) => ({ requests: t.requests + r.requests, errors: t.errors + r.errors }), { requests: 0, errors: 0 });
  return { routes, totals, since: new Date(Date.now() - process.uptime() * 1000), instance: `${os.hostname()}, pid ${process.pid}` };
}
