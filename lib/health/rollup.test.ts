import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { applyRetention } from "./retention.ts";
import { aggregate, HOUR_MS, MINUTE_MS, rollUp } from "./rollup.ts";
import { makeCheck, makeHealthService } from "./testing.ts";

/*
 * Roll-ups from raw samples (exact counts, failures and percentiles per MINUTE and HOUR bucket),
 * only complete buckets, idempotent re-runs, the summaries, and retention that never deletes what
 * is not rolled up yet.
 */

const T0 = Date.parse("2026-03-02T10:00:00Z"); // an hour boundary

describe("aggregate", () => {
  it("counts every probe and failure, with exact nearest-rank percentiles over the successful probes' latency only", () => {
    const samples = [...Array.from({ length: 19 }, (_, i) => ({ ok: true, latencyMs: i + 1 })), { ok: false, latencyMs: 5000 }];
    expect(aggregate(samples)).toEqual({ count: 20, failures: 1, latencySum: 190, p50Ms: 10, p95Ms: 19, maxMs: 19 });
    expect(aggregate([{ ok: false, latencyMs: 1 }])).toEqual({ count: 1, failures: 1, latencySum: 0, p50Ms: 0, p95Ms: 0, maxMs: 0 });
  });
});

describe("rollUp", () => {
  it("writes complete MINUTE and HOUR buckets from raw samples, idempotently, and summaries from them", async () => {
    const service = await makeHealthService();
    const a = await makeCheck({ serviceId: service.id, name: "a", intervalSeconds: 10 });
    const b = await makeCheck({ serviceId: service.id, name: "b", intervalSeconds: 10 });
    // Two hours and a bit of 10-second samples. a: latency = 1..6 ms cycling, every 60th fails;
    // b: always fails in the first hour, always ok (100 ms) after.
    const rows = [];
    for (let t = T0; t < T0 + 2 * HOUR_MS + 5 * MINUTE_MS; t += 10_000) {
      const k = (t - T0) / 10_000;
      rows.push({ checkId: a.id, at: new Date(t), ok: k % 60 !== 59, latencyMs: (k % 6) + 1, statusCode: 200, error: "" });
      rows.push({ checkId: b.id, at: new Date(t), ok: t >= T0 + HOUR_MS, latencyMs: 100, statusCode: null, error: "" });
    }
    await db.healthSample.createMany({ data: rows });

    // "Now" is 2 h 3 min 30 s in; with a 60 s grace, minutes up to 2:02 are complete, hours up to 2:00.
    const now = new Date(T0 + 2 * HOUR_MS + 3 * MINUTE_MS + 30_000);
    const first = await rollUp(db, { now, graceMs: 60_000 });
    expect(first.caughtUp).toBe(true);
    const minutes = await db.healthRollup.findMany({ where: { checkId: a.id, resolution: "MINUTE" }, orderBy: { bucketStart: "asc" } });
    expect(minutes).toHaveLength(122);
    expect(minutes[minutes.length - 1]!.bucketStart).toEqual(new Date(T0 + 121 * MINUTE_MS));
    // Minute 9 holds samples k = 54..59: latencies 1..6, k=59 (6 ms) failed and is not a latency.
    expect(minutes[9]).toMatchObject({ count: 6, failures: 1, latencySum: 15, p50Ms: 3, p95Ms: 5, maxMs: 5 });
    expect(minutes[0]).toMatchObject({ count: 6, failures: 0, latencySum: 21, p50Ms: 3, p95Ms: 6, maxMs: 6 });
    const hours = await db.healthRollup.findMany({ where: { resolution: "HOUR" }, orderBy: [{ checkId: "asc" }, { bucketStart: "asc" }] });
    const hourA = hours.filter((h) => h.checkId === a.id);
    expect(hourA.map((h) => h.bucketStart.getTime())).toEqual([T0, T0 + HOUR_MS]);
    expect(hourA[0]).toMatchObject({ count: 360, failures: 6, p50Ms: 3, p95Ms: 6, maxMs: 6 });
    expect(hours.find((h) => h.checkId === b.id && h.bucketStart.getTime() === T0)).toMatchObject({ count: 360, failures: 360, p95Ms: 0 });

    // Re-running (even over buckets already written) rewrites the same rows.
    const before = await db.healthRollup.findMany({ orderBy: [{ checkId: "asc" }, { resolution: "asc" }, { bucketStart: "asc" }] });
    await db.healthRollup.deleteMany({ where: { resolution: "MINUTE", bucketStart: { gte: new Date(T0 + 100 * MINUTE_MS) } } });
    await rollUp(db, { now, graceMs: 60_000 });
    const after = await db.healthRollup.findMany({ orderBy: [{ checkId: "asc" }, { resolution: "asc" }, { bucketStart: "asc" }] });
    expect(after).toEqual(before);

    // Summaries (fractions): b failed the first hour of its two (+ tail); a: 1 in 60 failed.
    const sa = await db.healthCheckState.findUniqueOrThrow({ where: { checkId: a.id } });
    const sb = await db.healthCheckState.findUniqueOrThrow({ where: { checkId: b.id } });
    expect(sa.uptime24h).toBeCloseTo(1 - 12 / 732, 5);
    expect(sa.uptime30d).toBe(sa.uptime24h);
    expect(sa.p95LatencyMs24h).toBeGreaterThan(5);
    expect(sa.p95LatencyMs24h).toBeLessThanOrEqual(6);
    expect(sb.uptime24h).toBeCloseTo(372 / 732, 5);
    expect(sb.p95LatencyMs24h).toBe(100);
    expect(sb.summarizedAt).toEqual(now);
    expect(sb.status).toBe("PENDING"); // summaries alone do not invent a verdict
  });

  it("deletes raw samples and roll-ups past their retention, in chunks, but never raw samples not rolled up", async () => {
    const service = await makeHealthService();
    const c = await makeCheck({ serviceId: service.id, name: "old" });
    const base = Date.parse("2026-05-01T00:00:00Z");
    const data = Array.from({ length: 12_000 }, (_, i) => ({ checkId: c.id, at: new Date(base + i * 1_000), ok: true, latencyMs: 1, statusCode: 200, error: "" }));
    await db.healthSample.createMany({ data });
    const now = new Date(base + 10 * 24 * HOUR_MS);
    // Nothing rolled up yet: nothing deleted, however old.
    await applyRetention(db, { rawHours: 48, minuteDays: 14, hourDays: 400 }, now);
    expect(await db.healthSample.count({ where: { checkId: c.id } })).toBe(12_000);
    await rollUp(db, { now: new Date(base + 4 * HOUR_MS), graceMs: 0 });
    await db.healthRollup.createMany({
      data: [
        { checkId: c.id, resolution: "MINUTE", bucketStart: new Date(base - 20 * 24 * HOUR_MS), count: 1, failures: 0, latencySum: 1, p50Ms: 1, p95Ms: 1, maxMs: 1 },
        { checkId: c.id, resolution: "HOUR", bucketStart: new Date(base - 500 * 24 * HOUR_MS), count: 1, failures: 0, latencySum: 1, p50Ms: 1, p95Ms: 1, maxMs: 1 },
        { checkId: c.id, resolution: "HOUR", bucketStart: new Date(base - 20 * 24 * HOUR_MS), count: 1, failures: 0, latencySum: 1, p50Ms: 1, p95Ms: 1, maxMs: 1 },
      ],
    });
    const report = await applyRetention(db, { rawHours: 48, minuteDays: 14, hourDays: 400 }, now);
    expect(report.samples).toBeGreaterThanOrEqual(12_000); // more than one chunk of 5,000
    expect(report.minute).toBeGreaterThanOrEqual(1);
    expect(report.hour).toBeGreaterThanOrEqual(1);
    expect(await db.healthRollup.count({ where: { checkId: c.id, resolution: "MINUTE" } })).toBe(200); // the 20-day-old one went
    expect(await db.healthSample.count({ where: { checkId: c.id } })).toBe(0);
    expect(await db.healthRollup.count({ where: { checkId: c.id, resolution: "HOUR" } })).toBe(5); // 4 real + the 20-day-old one
  });
});
