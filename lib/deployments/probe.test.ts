import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { healthCheck, httpProbe, percentile, validate } from "./probe.ts";
import { startColourServer, type ColourServer } from "./testing.ts";

/* Probes against a real local HTTP server (port 4142) whose behaviour the tests change. */

let server: ColourServer;
beforeAll(async () => {
  server = await startColourServer("GREEN", 4142);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.behave({}));

describe("httpProbe", () => {
  it("opens a fresh connection per probe and measures latency", async () => {
    const before = server.connections;
    server.behave({ delayMs: 60 });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await httpProbe(`${server.url}/health`, { timeoutMs: 1_000 }));
    expect(server.connections - before).toBe(3);
    for (const r of results) {
      expect(r).toMatchObject({ ok: true, status: 200, error: null });
      expect(r.latencyMs).toBeGreaterThanOrEqual(55);
    }
  });

  it("reports an error status, a timeout, a refused connection and an abort without throwing", async () => {
    server.behave({ status: 503 });
    expect(await httpProbe(`${server.url}/health`, { timeoutMs: 1_000 })).toMatchObject({ ok: false, status: 503, error: "HTTP 503" });
    server.behave({ delayMs: 500 });
    expect(await httpProbe(`${server.url}/health`, { timeoutMs: 100 })).toMatchObject({ ok: false, status: 0, error: "no answer within 100 ms" });
    expect(await httpProbe("http://127.0.0.1:4143/health", { timeoutMs: 1_000 })).toMatchObject({ ok: false, error: "ECONNREFUSED" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await httpProbe(`${server.url}/health`, { timeoutMs: 5_000, signal: controller.signal })).toMatchObject({ ok: false, error: "stopped" });
  });
});

describe("healthCheck", () => {
  it("needs N consecutive successes: a failure starts the count again", async () => {
    server.behave({ failAfter: 1 }); // 1 ok, then failures...
    setTimeout(() => server.behave({}), 150); // ...then healthy again
    const r = await healthCheck(`${server.url}/health`, { successes: 3, intervalMs: 40, timeoutMs: 3_000 });
    expect(r.ok).toBe(true);
    expect(r.consecutive).toBe(3);
    expect(r.attempts).toBeGreaterThan(4);
    expect(r.lastError).toBe("HTTP 500");
  });

  it("fails when the successes do not come within the timeout", async () => {
    server.behave({ status: 500 });
    const started = Date.now();
    const r = await healthCheck(`${server.url}/health`, { successes: 2, intervalMs: 50, timeoutMs: 400 });
    expect(r).toMatchObject({ ok: false, consecutive: 0, required: 2, lastError: "HTTP 500", stopped: false });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe("validate", () => {
  it("passes a healthy colour with its error rate and latency percentiles", async () => {
    const r = await validate(`${server.url}/health`, { windowMs: 500, intervalMs: 25, maxErrorRatePct: 1, maxP95LatencyMs: 2_000 });
    expect(r).toMatchObject({ ok: true, errors: 0, errorRatePct: 0, reasons: [] });
    expect(r.samples).toBeGreaterThan(5);
    expect(r.p95Ms).toBeGreaterThanOrEqual(r.p50Ms);
  });

  it("fails on the error rate and on p95 latency against the thresholds", async () => {
    server.behave({ failAfter: 4 });
    const errors = await validate(`${server.url}/health`, { windowMs: 500, intervalMs: 25, maxErrorRatePct: 5, maxP95LatencyMs: 500 });
    expect(errors.ok).toBe(false);
    expect(errors.errorRatePct).toBeGreaterThan(50);
    expect(errors.reasons[0]).toMatch(/^Error rate \d+(\.\d)?% is over the 5% threshold\.$/);
    server.behave({ delayMs: 120 });
    const slow = await validate(`${server.url}/health`, { windowMs: 600, intervalMs: 25, maxErrorRatePct: 1, maxP95LatencyMs: 50 });
    expect(slow.ok).toBe(false);
    expect(slow.errors).toBe(0);
    expect(slow.reasons).toEqual([`p95 latency ${slow.p95Ms} ms is over the 50 ms threshold.`]);
  });

  it("computes nearest-rank percentiles", () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(10);
    expect(percentile(sorted, 95)).toBe(19);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 95)).toBe(0);
  });
});
