import { beforeAll, describe, expect, it } from "vitest";
import { MAX_POINTS, resolveRange, ZRangeQuery } from "../charts/range.ts";
import { insertRollups, insertSamples, makeCheck, makeHealthService } from "../testing/health-fixtures.ts";
import { percentile } from "../deployments/probe.ts";
import { healthSeries, planSeries } from "./series.ts";

// 12:10:20 UTC. Roll-ups reach 10:00 (HOUR: the 11:00 hour is not rolled up yet) and 12:08 (MINUTE).
const NOW = Date.UTC(2026, 10, 27, 12, 10, 20);
const H = 3_600_000;
const LAST_HOUR_ROLLED = Date.UTC(2026, 10, 27, 10);
const LAST_MINUTE_ROLLED = Date.UTC(2026, 10, 27, 12, 8);
const OUTAGE_HOUR = Date.UTC(2026, 10, 20, 3);
// The fixture's retention: raw samples 24 h, MINUTE roll-ups 48 h.
const RETENTION = { rawMs: 24 * H, minuteMs: 48 * H, hourMs: 400 * 24 * H };
const OPTS = { minIntervalMs: 30_000, now: new Date(NOW), retention: RETENTION };
let a = "";
let b = "";

beforeAll(async () => {
  const svc = await makeHealthService();
  a = (await makeCheck(svc.id, { intervalSeconds: 30 })).id;
  b = (await makeCheck(svc.id, { intervalSeconds: 60 })).id;
  // Check a: 30 s probes; 100 ms median, 300 ms p95; a quarter of the probes failed in OUTAGE_HOUR.
  await insertRollups(a, "HOUR", NOW - 35 * 24 * H, LAST_HOUR_ROLLED + 1, (t) => ({ count: 120, failures: t === OUTAGE_HOUR ? 30 : 0, p50: 100, p95: 300 }));
  await insertRollups(a, "MINUTE", NOW - 48 * H, LAST_MINUTE_ROLLED + 1, () => ({ count: 2, failures: 0, p50: 100, p95: 300 }));
  await insertSamples(a, NOW - 24 * H, NOW, 30_000, (t) => ({ ok: true, latencyMs: 50 + ((t / 30_000) % 20) * 10 }));
  // Check b: 60 s probes, slower; only hour roll-ups for the last 10 days.
  await insertRollups(b, "HOUR", NOW - 10 * 24 * H, LAST_HOUR_ROLLED + 1, () => ({ count: 60, failures: 0, p50: 200, p95: 900 }));
});

const range = (q: Record<string, string>) => resolveRange(ZRangeQuery.parse(q), new Date(NOW));

describe("health series", () => {
  it("never returns more than 1,000 points per series for 1h, 24h, 7d, 30d and a 400-day custom range", async () => {
    const cases = [
      { q: { range: "1h" }, source: "raw" },
      { q: { range: "24h" }, source: "minute" },
      { q: { range: "7d" }, source: "hour" },
      { q: { range: "30d" }, source: "hour" },
      { q: { range: "custom", from: new Date(NOW - 400 * 24 * H).toISOString(), to: new Date(NOW).toISOString() }, source: "hour" },
      // Exactly 1,000 minutes: the epoch-aligned first bucket must not make it 1,001.
      { q: { range: "custom", from: new Date(NOW - 1000 * 60_000).toISOString(), to: new Date(NOW).toISOString() }, source: "minute" },
    ] as const;
    for (const c of cases) {
      const r = range(c.q);
      const series = await healthSeries([a, b], r, OPTS);
      expect(series.source, c.q.range).toBe(c.source);
      expect(series.points.length).toBeLessThanOrEqual(MAX_POINTS);
      expect(series.points.length).toBeGreaterThan(20);
      // Evenly spaced buckets that cover the whole range.
      expect(series.points[0]!.t).toBeLessThanOrEqual(r.from.getTime());
      expect(series.points.at(-1)!.t + series.bucketMs).toBeGreaterThanOrEqual(r.to.getTime());
      expect(series.points.every((p, i) => i === 0 || p.t - series.points[i - 1]!.t === series.bucketMs)).toBe(true);
    }
  });

  it("chooses a coarser source when the range starts before the finer data's retention", () => {
    const now = new Date(NOW);
    expect(planSeries({ from: new Date(NOW - 2 * H), to: now }, { minIntervalMs: 30_000, now, retention: RETENTION }).source).toBe("raw");
    // A 2-hour window three days ago: raw and minute data are gone, so hour roll-ups.
    expect(planSeries({ from: new Date(NOW - 74 * H), to: new Date(NOW - 72 * H) }, { minIntervalMs: 30_000, now, retention: RETENTION })).toEqual({ source: "hour", bucketMs: H });
    expect(planSeries({ from: new Date(NOW - 30 * H), to: new Date(NOW - 28 * H) }, { minIntervalMs: 30_000, now, retention: RETENTION })).toEqual({ source: "minute", bucketMs: 60_000 });
  });

  it("reads hour roll-ups for 30 days and fills the hours not rolled up yet from raw samples, counting no probe twice", async () => {
    const series = await healthSeries([a], range({ range: "30d" }), OPTS);
    expect(series.bucketMs).toBe(H);
    const at = (t: number) => series.points.find((p) => p.t === t)!;
    expect(at(LAST_HOUR_ROLLED - 5 * H).count).toBe(120);
    expect(at(LAST_HOUR_ROLLED).count).toBe(120); // rolled up: raw samples of that hour are not added again
    expect(at(LAST_HOUR_ROLLED + H).count).toBe(120); // 11:00, from raw samples
    expect(at(LAST_HOUR_ROLLED + 2 * H).count).toBe(20); // 12:00 to 12:10:20: 12:00:20, 12:00:50, ... 12:09:50
    expect(series.points.at(-1)!.t).toBe(LAST_HOUR_ROLLED + 2 * H);
  });

  it("computes availability and error rate from failures over probes", async () => {
    const series = await healthSeries([a], range({ range: "30d" }), OPTS);
    const outage = series.points.find((p) => p.t === OUTAGE_HOUR)!;
    expect(outage).toMatchObject({ availability: 75, errorRate: 25, count: 120 });
    expect(series.points.find((p) => p.t === OUTAGE_HOUR + H)).toMatchObject({ availability: 100, errorRate: 0 });
    // Before check b's first roll-up (10 days ago): no probes, no numbers (a gap on the chart, not a zero).
    const young = await healthSeries([b], range({ range: "30d" }), { ...OPTS, minIntervalMs: 60_000 });
    expect(young.points[0]).toMatchObject({ count: 0, availability: null, p95: null });
  });

  it("merges percentiles across checks as the count-weighted mean of the p50s and the largest p95", async () => {
    const series = await healthSeries([a, b], range({ range: "7d" }), OPTS);
    const p = series.points.find((x) => x.t === LAST_HOUR_ROLLED - 3 * H)!;
    expect(p.count).toBe(180);
    expect(p.p50).toBeCloseTo((100 * 120 + 200 * 60) / 180, 1);
    expect(p.p95).toBe(900);
  });

  it("gives exact percentiles per bucket on raw samples", async () => {
    const series = await healthSeries([a], range({ range: "1h" }), OPTS);
    expect(series.bucketMs).toBe(30_000);
    const full = series.points.filter((p) => p.count === 1);
    expect(full.length).toBeGreaterThanOrEqual(119);
    const p = full[5]!;
    expect(p.p50).toBe(p.p95);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });

  it("merges a minute-source chart with the raw tail after the newest minute roll-up", async () => {
    const series = await healthSeries([a], range({ range: "24h" }), OPTS);
    expect(series.bucketMs).toBe(120_000);
    const total = series.points.reduce((n, p) => n + p.count, 0);
    // 24 h of 30 s probes: 2,880, whichever source each minute came from.
    expect(total).toBe(2_880);
  });
});

describe("health series defaults", () => {
  it("follows the engine's default retention: raw 48 h, minute roll-ups 14 days", () => {
    const now = new Date(NOW);
    expect(planSeries({ from: new Date(NOW - 30 * H), to: new Date(NOW - 28 * H) }, { minIntervalMs: 30_000, now })).toEqual({ source: "raw", bucketMs: 30_000 });
    expect(planSeries({ from: new Date(NOW - 7 * 24 * H), to: now }, { minIntervalMs: 30_000, now })).toEqual({ source: "minute", bucketMs: 900_000 });
    expect(planSeries({ from: new Date(NOW - 30 * 24 * H), to: now }, { minIntervalMs: 30_000, now })).toEqual({ source: "hour", bucketMs: H });
  });
});
