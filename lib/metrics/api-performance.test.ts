import client from "prom-client";
import { describe, expect, it } from "vitest";
import { histogramQuantile, routeStatsFrom, type HistogramSample } from "./api-performance.ts";

describe("API performance from the request histogram", () => {
  it("interpolates quantiles inside buckets as histogram_quantile does", () => {
    // 100 requests: 50 under 10 ms, 40 more under 100 ms, 10 more under 1 s.
    const buckets: [number, number][] = [
      [0.01, 50],
      [0.1, 90],
      [1, 100],
      [Infinity, 100],
    ];
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.01);
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(0.005);
    expect(histogramQuantile(0.7, buckets)).toBeCloseTo(0.01 + 0.09 * (20 / 40));
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.1 + 0.9 * 0.5);
    // Ranks in the +Inf bucket answer the highest finite bound; no requests, no answer.
    expect(histogramQuantile(0.99, [[0.1, 1], [Infinity, 100]])).toBe(0.1);
    expect(histogramQuantile(0.5, [[0.1, 0], [Infinity, 0]])).toBeNull();
  });

  it("sums every status code of a route, counts 5xx as errors, and sorts by requests", async () => {
    const registry = new client.Registry();
    const h = new client.Histogram({
      name: "http_request_duration_seconds",
      help: "x",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    for (let i = 0; i < 95; i++) h.observe({ method: "GET", route: "/changes", status: "200" }, 0.02);
    for (let i = 0; i < 5; i++) h.observe({ method: "GET", route: "/changes", status: "500" }, 0.4);
    h.observe({ method: "POST", route: "/api/v1/metrics", status: "400" }, 0.003);
    const stats = routeStatsFrom((await h.get()).values as HistogramSample[]);
    expect(stats.map((s) => [s.method, s.route, s.requests, s.errors])).toEqual([
      ["GET", "/changes", 100, 5],
      ["POST", "/api/v1/metrics", 1, 0],
    ]);
    const changes = stats[0]!;
    expect(changes.errorRatePct).toBe(5);
    expect(changes.meanMs).toBeCloseTo(95 * 20 / 100 + 5 * 400 / 100, 0);
    expect(changes.p50Ms).toBeGreaterThan(10);
    expect(changes.p50Ms).toBeLessThanOrEqual(25);
    expect(changes.p95Ms).toBeLessThanOrEqual(25); // the 95th request is still in the 25 ms bucket
    expect(changes.p99Ms).toBeGreaterThan(250);
    expect(changes.p99Ms).toBeLessThanOrEqual(500);
  });
});
