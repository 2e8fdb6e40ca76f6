import type { Db } from "../db/client.ts";
import { databaseUrlOf } from "../db/client.ts";
import { upsertRollups, upsertSummaries, type RollupRow, type SummaryRow } from "../db/health-writes.ts";
import { providerOf } from "../db/url.ts";
import { percentile } from "../deployments/probe.ts";

/*
 * Roll-ups: MINUTE and HOUR buckets computed from the raw samples, so long-range charts and the
 * uptime summaries never scan samples.
 *
 * - A bucket row: count (probes) and failures over all the bucket's probes; latencySum, p50Ms,
 *   p95Ms and maxMs over its SUCCESSFUL probes only (0 when none succeeded), the same as the charts
 *   compute over raw samples for the newest part (lib/health/series.ts), so mean = latencySum /
 *   (count - failures). A failed probe's "latency" is how long it took to fail (a timeout shows as
 *   the timeout): counting it would draw outages as latency spikes, which the availability and
 *   error-rate charts already show. Percentiles are exact (nearest rank) over the bucket's raw values, HOUR buckets included.
 * - Watermark: only complete buckets are written: a bucket is complete once its end is more than
 *   `graceMs` in the past (a sample is stored after its probe finishes: grace >= the longest
 *   timeout + the flush delay). The watermark is derived, not stored: the newest bucket written
 *   per resolution; the next run starts right after it (or at the oldest raw sample).
 * - Idempotent: re-running a bucket rewrites it (upsert on (checkId, resolution, bucketStart)).
 * - Work is chunked (CHECKS_PER_QUERY checks x at most an hour of samples per query) so no query
 *   holds the event loop long (better-sqlite3 is synchronous); a run stops after `budgetMs` and the
 *   next run continues from the watermark.
 *
 * Summaries (HealthCheckState.uptime24h / uptime7d / uptime30d as a FRACTION 0..1, p95LatencyMs24h
 * in ms, summarizedAt) come from the roll-ups: complete HOUR buckets plus the MINUTE buckets after
 * the newest HOUR bucket. p95LatencyMs24h is the mean of the p95s of the buckets of the last 24 h
 * (an approximation: exact p95s exist per bucket). null when there were no probes. The 24 h / 7 d / 30 d windows start at an hour
 * boundary (up to an hour longer than named).
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
const CHECKS_PER_QUERY = 200;
const SUMMARY_CHECKS_PER_QUERY = 500;

type Resolution = "MINUTE" | "HOUR";
const sizeOf = (r: Resolution) => (r === "MINUTE" ? MINUTE_MS : HOUR_MS);
const floorTo = (t: number, size: number) => Math.floor(t / size) * size;
const yieldLoop = () => new Promise<void>((r) => setImmediate(r));

export type RollupOptions = { now?: Date; graceMs?: number; budgetMs?: number };
export type RollupReport = { minuteBuckets: number; hourBuckets: number; rows: number; summaries: number; ms: number; caughtUp: boolean };

/** The exact aggregate of one bucket's samples. */
export function aggregate(samples: readonly { ok: boolean; latencyMs: number }[]): Omit<RollupRow, "checkId" | "resolution" | "bucketStart"> {
  const latencies: number[] = [];
  let failures = 0;
  let latencySum = 0;
  for (const s of samples) {
    if (!s.ok) {
      failures++;
      continue;
    }
    latencies.push(s.latencyMs);
    latencySum += s.latencyMs;
  }
  latencies.sort((a, b) => a - b);
  return {
    count: samples.length,
    failures,
    latencySum: Math.round(latencySum * 10) / 10,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    maxMs: latencies[latencies.length - 1] ?? 0,
  };
}

/** The first bucket not yet written for a resolution (null: nothing to do, no samples at all). */
async function watermark(db: Db, resolution: Resolution): Promise<number | null> {
  const newest = await db.healthRollup.findFirst({ where: { resolution }, orderBy: { bucketStart: "desc" }, select: { bucketStart: true } });
  if (newest) return newest.bucketStart.getTime() + sizeOf(resolution);
  const oldest = await db.healthSample.findFirst({ orderBy: { at: "asc" }, select: { at: true } });
  return oldest ? floorTo(oldest.at.getTime(), sizeOf(resolution)) : null;
}

/** Writes every bucket of `resolution` within [from, to) for all checks; returns rows written. */
async function rollSpan(db: Db, resolution: Resolution, from: number, to: number, checkIds: string[]): Promise<number> {
  const provider = providerOf(databaseUrlOf(db));
  const size = sizeOf(resolution);
  let written = 0;
  for (let i = 0; i < checkIds.length; i += CHECKS_PER_QUERY) {
    const ids = checkIds.slice(i, i + CHECKS_PER_QUERY);
    const samples = await db.healthSample.findMany({
      where: { checkId: { in: ids }, at: { gte: new Date(from), lt: new Date(to) } },
      select: { checkId: true, at: true, ok: true, latencyMs: true },
    });
    const groups = new Map<string, { checkId: string; bucket: number; samples: { ok: boolean; latencyMs: number }[] }>();
    for (const s of samples) {
      const bucket = floorTo(s.at.getTime(), size);
      const key = `${s.checkId}|${bucket}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { checkId: s.checkId, bucket, samples: [] }));
      g.samples.push(s);
    }
    const rows: RollupRow[] = [...groups.values()].map((g) => ({ checkId: g.checkId, resolution, bucketStart: new Date(g.bucket), ...aggregate(g.samples) }));
    if (rows.length) await db.$transaction((tx) => upsertRollups(tx, provider, rows));
    written += rows.length;
    await yieldLoop();
  }
  return written;
}

/** Rolls up complete MINUTE then HOUR buckets after the watermarks, then refreshes the summaries. */
export async function rollUp(db: Db, options: RollupOptions = {}): Promise<RollupReport> {
  const started = performance.now();
  const now = (options.now ?? new Date()).getTime();
  const graceMs = options.graceMs ?? (await defaultGraceMs(db));
  const budgetMs = options.budgetMs ?? 20_000;
  const report: RollupReport = { minuteBuckets: 0, hourBuckets: 0, rows: 0, summaries: 0, ms: 0, caughtUp: true };
  const checkIds = (await db.healthCheck.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((c) => c.id);

  for (const resolution of ["MINUTE", "HOUR"] as const) {
    const size = sizeOf(resolution);
    const end = floorTo(now - graceMs, size); // buckets ending at or before this are complete
    let from = await watermark(db, resolution);
    // Spans of at most an hour per pass; empty stretches are skipped to the next sample.
    while (from !== null && from < end) {
      if (performance.now() - started > budgetMs) {
        report.caughtUp = false;
        break;
      }
      const to = Math.min(end, from + (resolution === "MINUTE" ? 60 : 1) * size);
      report.rows += await rollSpan(db, resolution, from, to, checkIds);
      if (resolution === "MINUTE") report.minuteBuckets += (to - from) / size;
      else report.hourBuckets += (to - from) / size;
      const next = await db.healthSample.findFirst({ where: { at: { gte: new Date(to) } }, orderBy: { at: "asc" }, select: { at: true } });
      from = next ? Math.max(to, floorTo(next.at.getTime(), size)) : null;
    }
  }
  report.summaries = await summarize(db, checkIds, now);
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** The longest check timeout + 10 s (a sample is stored after its probe finishes and a flush). */
async function defaultGraceMs(db: Db): Promise<number> {
  const agg = await db.healthCheck.aggregate({ _max: { timeoutMs: true } });
  return (agg._max.timeoutMs ?? 0) + 10_000;
}

type Totals = { count: number; failures: number; p95Sum: number; p95Weight: number };
type HourCache = { key: string; d1: Map<string, Totals>; d7: Map<string, Totals>; d30: Map<string, Totals> };

/*
 * The HOUR part of the windows changes once an hour: kept here (keyed by the newest HOUR bucket and
 * the checks) so a run reads only the MINUTE tail. Window starts are anchored to that hour.
 */
let hourCache: HourCache | null = null;

const emptyTotals = (): Totals => ({ count: 0, failures: 0, p95Sum: 0, p95Weight: 0 });

async function sums(db: Db, resolution: Resolution, ids: string[], from: number, to: number, into: Map<string, Totals>): Promise<void> {
  if (from >= to) return;
  const where = { checkId: { in: ids }, resolution, bucketStart: { gte: new Date(from), lt: new Date(to) } };
  const groups = await db.healthRollup.groupBy({ by: ["checkId"], where, _sum: { count: true, failures: true } });
  for (const g of groups) {
    const t = into.get(g.checkId) ?? emptyTotals();
    t.count += g._sum.count ?? 0;
    t.failures += g._sum.failures ?? 0;
    into.set(g.checkId, t);
  }
  // Buckets where every probe failed have no latency (p95Ms 0): left out of the mean.
  const latencies = await db.healthRollup.groupBy({ by: ["checkId"], where: { ...where, p95Ms: { gt: 0 } }, _avg: { p95Ms: true }, _count: { _all: true } });
  for (const g of latencies) {
    const t = into.get(g.checkId) ?? emptyTotals();
    t.p95Sum += (g._avg.p95Ms ?? 0) * g._count._all;
    t.p95Weight += g._count._all;
    into.set(g.checkId, t);
  }
}

const merge = (a: Totals | undefined, b: Totals | undefined): Totals | undefined => {
  if (!a) return b;
  if (!b) return a;
  return { count: a.count + b.count, failures: a.failures + b.failures, p95Sum: a.p95Sum + b.p95Sum, p95Weight: a.p95Weight + b.p95Weight };
};

/**
 * Refreshes HealthCheckState's summaries for every check from the roll-ups: complete HOUR buckets
 * (re-read once an hour) plus the MINUTE buckets after the newest HOUR bucket (every run), one
 * grouped query per window and chunk of checks. p95LatencyMs24h is the mean of the bucket p95s.
 */
export async function summarize(db: Db, checkIds: string[], now: number): Promise<number> {
  const provider = providerOf(databaseUrlOf(db));
  const newestHour = await db.healthRollup.findFirst({ where: { resolution: "HOUR" }, orderBy: { bucketStart: "desc" }, select: { bucketStart: true } });
  const tailFrom = newestHour ? newestHour.bucketStart.getTime() + HOUR_MS : floorTo(now - 30 * 24 * HOUR_MS, MINUTE_MS);
  const key = `${tailFrom}|${checkIds.length}|${checkIds[0] ?? ""}|${checkIds[checkIds.length - 1] ?? ""}`;
  if (!hourCache || hourCache.key !== key) {
    const cache: HourCache = { key, d1: new Map(), d7: new Map(), d30: new Map() };
    if (newestHour) {
      for (let i = 0; i < checkIds.length; i += SUMMARY_CHECKS_PER_QUERY) {
        const ids = checkIds.slice(i, i + SUMMARY_CHECKS_PER_QUERY);
        await sums(db, "HOUR", ids, tailFrom - 24 * HOUR_MS, tailFrom, cache.d1);
        await sums(db, "HOUR", ids, tailFrom - 7 * 24 * HOUR_MS, tailFrom, cache.d7);
        await sums(db, "HOUR", ids, tailFrom - 30 * 24 * HOUR_MS, tailFrom, cache.d30);
        await yieldLoop();
      }
    }
    hourCache = cache;
  }
  const hours = hourCache;
  const uptime = (t: Totals | undefined) => (t && t.count ? Math.round((1 - t.failures / t.count) * 1e6) / 1e6 : null);
  const at = new Date(now);
  let written = 0;
  for (let i = 0; i < checkIds.length; i += SUMMARY_CHECKS_PER_QUERY) {
    const ids = checkIds.slice(i, i + SUMMARY_CHECKS_PER_QUERY);
    const tail = new Map<string, Totals>();
    await sums(db, "MINUTE", ids, tailFrom, now, tail);
    const rows: SummaryRow[] = ids.map((id) => {
      const d1 = merge(hours.d1.get(id), tail.get(id));
      return {
        checkId: id,
        uptime24h: uptime(d1),
        uptime7d: uptime(merge(hours.d7.get(id), tail.get(id))),
        uptime30d: uptime(merge(hours.d30.get(id), tail.get(id))),
        p95LatencyMs24h: d1 && d1.p95Weight ? Math.round((d1.p95Sum / d1.p95Weight) * 10) / 10 : null,
        summarizedAt: at,
      };
    });
    await db.$transaction((tx) => upsertSummaries(tx, provider, rows));
    written += rows.length;
    await yieldLoop();
  }
  return written;
}
