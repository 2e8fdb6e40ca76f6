import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { queryBusinessMetric } from "../metrics/business.ts";
import { ZBusinessMetricQuery } from "../metrics/business-schemas.ts";
import { seedDemoBusinessMetrics } from "./seed-business-metrics.ts";

describe("demo business metrics", () => {
  it("seeds 30 days hourly plus the last day every 5 minutes, and a second run changes nothing", async () => {
    const now = new Date("2026-11-27T12:34:56Z");
    const first = await seedDemoBusinessMetrics(db, now);
    expect(first.series).toBe(5);
    expect(first.points).toBe(5 * (29 * 24 + 1 + 289)); // hourly up to a day ago, then every 5 minutes
    const before = await db.metricPoint.findMany({ orderBy: [{ seriesId: "asc" }, { at: "asc" }] });
    expect(before).toHaveLength(first.points);
    await seedDemoBusinessMetrics(db, now);
    expect(await db.metricPoint.findMany({ orderBy: [{ seriesId: "asc" }, { at: "asc" }] })).toEqual(before);
    expect(await db.metricSeries.count()).toBe(5);
    const chart = await queryBusinessMetric(ZBusinessMetricQuery.parse({ name: "orders_placed", range: "24h", agg: "sum" }), now);
    expect(chart.series.map((s) => s.label)).toEqual(["region=apac", "region=eu", "region=us"]);
    expect(chart.bucketMs).toBe(300_000);
    expect(chart.points.length).toBeGreaterThan(280);
  });
});
