import { bucketMsFor, bucketStart, MAX_POINTS, type TimeRange } from "../charts/range.ts";
import { percentile } from "../deployments/probe.ts";
import { db as defaultDb, type Db } from "../db/client.ts";
import { latestRollupStarts, rollupBuckets } from "../db/health-queries.ts";

/**
 * Chart data for one check or a whole service: availability %, p50/p95 latency, error rate and
 * probe count per time bucket, never more than MAX_POINTS buckets whatever the range.
 *
 * Where the numbers come from (the finest source that still holds the range's start):
 * - raw samples when the bucket is finer than a minute and the range lies inside the raw retention
 *   (exact percentiles per bucket);
 * - MINUTE roll-ups for buckets of a minute up to an hour inside the minute retention;
 * - HOUR roll-ups otherwise (30-day and longer charts read ~720 rows per check, merged by the
 *   database with GROUP BY bucket).
 * The newest part that the roll-up job has not reached yet (after each check's newest roll-up) is
 * read from raw samples and merged into the same buckets, so a chart always reaches "now".
 *
 * Latency is over successful probes only, as the roll-up job computes it (a refused connection's
 * 0.3 ms or a timeout's 5 s is not a response time). Merging percentiles (roll-ups keep p50/p95,
 * not the samples): a bucket's p50 is the mean of the p50s in it weighted by successful probes, its
 * p95 the largest p95 (conservative: never lower than the true p95 of any part). Across checks of
 * a service the same rules apply, and availability is the share of all probes of all checks that
 * succeeded.
 */
export type HealthSeriesSource = "raw" | "minute" | "hour";

export type HealthSeriesPoint = {
  t: number;
  /** Successful probes / probes, percent; null when the bucket had no probes. */
  availability: number | null;
  p50: number | null;
  p95: number | null;
  /** Failed probes / probes, percent. p50/p95 are null when no probe in the bucket succeeded. */
  errorRate: number | null;
  count: number;
};

export type HealthSeries = {
  from: number;
  to: number;
  bucketMs: number;
  source: HealthSeriesSource;
  points: HealthSeriesPoint[];
};

/** How long each kind of data is kept: the same variables and defaults as the engine's retention job (lib/health/retention.ts). */
export type HealthRetention = { rawMs: number; minuteMs: number; hourMs: number };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const DEFAULT_HEALTH_RETENTION: HealthRetention = {
  rawMs: fromEnv("HEALTH_RAW_RETENTION_HOURS", 48) * HOUR,
  minuteMs: fromEnv("HEALTH_MINUTE_RETENTION_DAYS", 14) * DAY,
  hourMs: fromEnv("HEALTH_HOUR_RETENTION_DAYS", 400) * DAY,
};

function fromEnv(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const RESOLUTION_MS = { MINUTE: 60_000, HOUR: HOUR } as const;

/** The source and bucket width for a range: see the module comment. */
export function planSeries(
  range: Pick<TimeRange, "from" | "to">,
  options: { minIntervalMs: number; now: Date; retention?: HealthRetention },
): { source: HealthSeriesSource; bucketMs: number } {
  const retention = options.retention ?? DEFAULT_HEALTH_RETENTION;
  const now = options.now.getTime();
  // One bucket fewer than the maximum: aligning the first bucket to the epoch can add one.
  const max = MAX_POINTS - 1;
  const from = range.from.getTime();
  const rawBucket = bucketMsFor(range, Math.max(1_000, options.minIntervalMs), max);
  if (rawBucket < 60_000 && from >= now - retention.rawMs) return { source: "raw", bucketMs: rawBucket };
  const minuteBucket = bucketMsFor(range, 60_000, max);
  if (minuteBucket < HOUR && from >= now - retention.minuteMs) return { source: "minute", bucketMs: minuteBucket };
  return { source: "hour", bucketMs: bucketMsFor(range, HOUR, max) };
}

type Acc = { count: number; failures: number; okCount: number; p50Weighted: number; p95: number; latencies: number[] };
const emptyAcc = (): Acc => ({ count: 0, failures: 0, okCount: 0, p50Weighted: 0, p95: 0, latencies: [] });

function toPoint(t: number, a: Acc | undefined): HealthSeriesPoint {
  if (!a || a.count === 0) return { t, availability: null, p50: null, p95: null, errorRate: null, count: 0 };
  // Raw samples in the bucket: exact percentiles of them, merged with the roll-up part as above.
  let p50Weighted = a.p50Weighted;
  let p95 = a.p95;
  const ok = a.okCount + a.latencies.length;
  if (a.latencies.length) {
    const sorted = [...a.latencies].sort((x, y) => x - y);
    p50Weighted += percentile(sorted, 50) * sorted.length;
    p95 = Math.max(p95, percentile(sorted, 95));
  }
  const round = (v: number, d = 3) => Number(v.toFixed(d));
  return {
    t,
    availability: round(((a.count - a.failures) / a.count) * 100),
    p50: ok ? round(p50Weighted / ok, 1) : null,
    p95: ok ? round(p95, 1) : null,
    errorRate: round((a.failures / a.count) * 100),
    count: a.count,
  };
}

/**
 * The series of `checkIds` (one check, or all checks of a service) over `range`. `minIntervalMs`
 * is the shortest probe interval among them (raw buckets are never finer than that).
 */
export async function healthSeries(
  checkIds: readonly string[],
  range: Pick<TimeRange, "from" | "to">,
  options: { minIntervalMs?: number; now?: Date; retention?: HealthRetention; db?: Db } = {},
): Promise<HealthSeries> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  const plan = planSeries(range, { minIntervalMs: options.minIntervalMs ?? 60_000, now, retention: options.retention });
  const { bucketMs } = plan;
  // Whole buckets: the first one starts at or before the range's start, and is read complete.
  const from = bucketStart(range.from.getTime(), bucketMs);
  const to = range.to.getTime();
  const buckets = new Map<number, Acc>();
  const acc = (t: number) => {
    const key = bucketStart(t, bucketMs);
    let a = buckets.get(key);
    if (!a) buckets.set(key, (a = emptyAcc()));
    return a;
  };

  // Per check: raw samples are read from this instant on (the whole range for the raw source).
  const rawFrom = new Map<string, number>(checkIds.map((id) => [id, from]));
  if (plan.source !== "raw" && checkIds.length) {
    const resolution = plan.source === "minute" ? "MINUTE" : "HOUR";
    const [rows, latest] = await Promise.all([
      rollupBuckets(db, { checkIds, resolution, from: new Date(from), to: range.to, bucketMs }),
      latestRollupStarts(db, checkIds, resolution),
    ]);
    for (const r of rows) {
      const a = acc(r.t);
      a.count += r.count;
      a.failures += r.failures;
      a.okCount += r.okCount;
      a.p50Weighted += r.p50Weighted;
      a.p95 = Math.max(a.p95, r.p95Max);
    }
    for (const id of checkIds) {
      const newest = latest.get(id);
      // Nothing rolled up yet: whatever raw samples exist (they cover at most the raw retention).
      rawFrom.set(id, newest ? Math.max(from, newest.getTime() + RESOLUTION_MS[resolution]) : from);
    }
  }

  const tail = checkIds.filter((id) => rawFrom.get(id)! < to);
  if (tail.length) {
    const samples = await db.healthSample.findMany({
      where: { OR: tail.map((id) => ({ checkId: id, at: { gte: new Date(rawFrom.get(id)!), lt: range.to } })) },
      select: { at: true, ok: true, latencyMs: true },
    });
    for (const s of samples) {
      const a = acc(s.at.getTime());
      a.count += 1;
      if (s.ok) a.latencies.push(s.latencyMs);
      else a.failures += 1;
    }
  }

  const points: HealthSeriesPoint[] = [];
  for (let t = from; t < to; t += bucketMs) points.push(toPoint(t, buckets.get(t)));
  return { from: range.from.getTime(), to, bucketMs, source: plan.source, points };
}
