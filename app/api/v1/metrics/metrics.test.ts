import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/service";
import { db } from "@/lib/db/client";
import { pruneBusinessMetrics, queryBusinessMetric } from "@/lib/metrics/business";
import { ZBusinessMetricQuery } from "@/lib/metrics/business-schemas";
import { auditOf, makeUser, TEST_CONTEXT } from "@/lib/testing/actors";
import { GET as queryRoute } from "./query/route.ts";
import { GET as listRoute, POST as pushRoute } from "./route.ts";

let pusher = "";
let viewer = "";

beforeAll(async () => {
  const ops = await makeUser("OPERATOR");
  const reader = await makeUser("VIEWER");
  ({ token: pusher } = await createApiToken(ops, { name: "shop exporter", role: "OPERATOR", expiresInDays: 7 }, TEST_CONTEXT));
  ({ token: viewer } = await createApiToken(reader, { name: "dashboards", role: "VIEWER", expiresInDays: 7 }, TEST_CONTEXT));
});

const push = (body: unknown, bearer: string | null = pusher) =>
  pushRoute(
    new Request("http://portal.test/api/v1/metrics", {
      method: "POST",
      headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    }),
  );
const get = (path: string, bearer = viewer) => new Request(`http://portal.test${path}`, { headers: { authorization: `Bearer ${bearer}` } });

const MIN = 60_000;
const base = () => Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000; // two hours ago, on the hour

async function stored(name: string) {
  return db.metricPoint.findMany({ where: { series: { name } }, orderBy: { at: "asc" }, select: { at: true, value: true } });
}

describe("POST /api/v1/metrics", () => {
  it("stores named series with labels, answers their counts and audits the push once", async () => {
    const t0 = base();
    const res = await push({
      series: [
        { name: "orders_placed", labels: { region: "eu" }, points: [{ at: new Date(t0).toISOString(), value: 42 }, { at: t0 + MIN, value: 43 }] },
        { name: "orders_placed", labels: { region: "us" }, points: [{ at: new Date(t0).toISOString(), value: 7 }] },
        { name: "signups", points: [{ at: new Date(t0).toISOString(), value: 3 }] },
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { series: 3, points: 4 } });
    const series = await db.metricSeries.findMany({ where: { name: "orders_placed" }, orderBy: { labels: "asc" } });
    expect(series.map((s) => [s.labels, s.lastAt?.getTime()])).toEqual([
      ['{"region":"eu"}', t0 + MIN],
      ['{"region":"us"}', t0],
    ]);
    const audit = await auditOf("metrics.ingested");
    expect(audit.at(-1)?.changes).toMatchObject({ token: "shop exporter", series: 3, points: 4, metrics: ["orders_placed", "signups"] });
  });

  it("replaces the value of a point pushed again (an idempotent retry) and never moves lastAt back", async () => {
    const t0 = base();
    const body = (value: number) => ({ series: [{ name: "retry_test", labels: { b: "2", a: "1" }, points: [{ at: t0, value }, { at: t0 + MIN, value: value + 1 }] }] });
    expect((await push(body(10))).status).toBe(200);
    expect((await push(body(10))).status).toBe(200);
    expect((await stored("retry_test")).map((p) => p.value)).toEqual([10, 11]);
    // The same label set in another key order is the same series; a new value replaces the old one.
    const again = await push({ series: [{ name: "retry_test", labels: { a: "1", b: "2" }, points: [{ at: t0, value: 99 }] }] });
    expect(again.status).toBe(200);
    expect((await stored("retry_test")).map((p) => p.value)).toEqual([99, 11]);
    expect(await db.metricSeries.count({ where: { name: "retry_test" } })).toBe(1);
    expect((await db.metricSeries.findFirstOrThrow({ where: { name: "retry_test" } })).lastAt?.getTime()).toBe(t0 + MIN);
  });

  it("stores nothing when one item of a big batch is wrong, and the 400 names that item", async () => {
    const t0 = base();
    const auditBefore = (await auditOf("metrics.ingested")).length;
    const series = Array.from({ length: 10 }, (_, i) => ({
      name: "all_or_nothing",
      labels: { shard: `s${i}` },
      points: Array.from({ length: 999 }, (_, j) => ({ at: t0 + j * 1000, value: j })),
    }));
    series[7]!.points[512] = { at: t0, value: "12" as unknown as number };
    const res = await push({ series });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: "invalid_input", message: "series[7].points[512].value: must be a finite number", fields: { "series[7].points[512].value": "must be a finite number" } },
    });
    expect(await db.metricSeries.count({ where: { name: "all_or_nothing" } })).toBe(0);
    expect(await db.metricPoint.count({ where: { series: { name: "all_or_nothing" } } })).toBe(0);
    expect(await auditOf("metrics.ingested")).toHaveLength(auditBefore);
  });

  it("rolls back everything when the database refuses part of a push", async () => {
    // A name longer than the column allows on MySQL, or a failure half-way: simulated by a series id that vanishes.
    const before = await db.metricPoint.count();
    const res = await push({ series: [{ name: "x", points: [{ at: base(), value: Number.MAX_VALUE }] }, { name: "ok_metric", points: [{ at: base(), value: 1 }] }] });
    expect(res.status).toBe(200); // MAX_VALUE is a finite double: stored as is
    expect(await db.metricPoint.count()).toBe(before + 2);
  });

  it("takes concurrent pushes that create the same new series and overlap points: one series, every push stored", async () => {
    const t0 = base();
    const body = (shift: number) => ({
      series: ["eu", "us", "apac"].map((region) => ({
        name: "concurrent_push",
        labels: { region },
        points: Array.from({ length: 200 }, (_, j) => ({ at: t0 + (j + shift) * 1000, value: shift })),
      })),
    });
    const results = await Promise.all([0, 50, 100, 150].map((shift) => push(body(shift))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await db.metricSeries.count({ where: { name: "concurrent_push" } })).toBe(3);
    expect(await db.metricPoint.count({ where: { series: { name: "concurrent_push" } } })).toBe(3 * 350);
  });

  it("answers 401 without a token, 403 for a viewer's token (audited), 400 for a body that is not JSON", async () => {
    const body = { series: [{ name: "denied", points: [{ at: base(), value: 1 }] }] };
    const none = await push(body, null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="ops-portal"');
    const forbidden = await push(body, viewer);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { message: string } }).error.message).toBe("This token's role does not allow metrics.write.");
    expect((await auditOf("access.denied")).at(-1)?.changes).toMatchObject({ permission: "metrics.write", attempted: "api.metrics.push" });
    const notJson = await pushRoute(new Request("http://portal.test/api/v1/metrics", { method: "POST", headers: { authorization: `Bearer ${pusher}`, "content-type": "application/json" }, body: "{series:" }));
    expect(notJson.status).toBe(400);
    expect(await db.metricSeries.count({ where: { name: "denied" } })).toBe(0);
  });

  it("takes a 10,000-point push in one request (timed)", async () => {
    const t0 = Date.now() - 9 * 86_400_000;
    const body = {
      series: Array.from({ length: 10 }, (_, i) => ({
        name: "bulk_push",
        labels: { region: `r${i}` },
        points: Array.from({ length: 1_000 }, (_, j) => ({ at: t0 + j * MIN, value: Math.round(Math.random() * 1000) / 10 })),
      })),
    };
    const times: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const res = await push(body);
      const used = process.cpuUsage(cpuBefore);
      times.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
      expect(res.status).toBe(200);
    }
    expect(await db.metricPoint.count({ where: { series: { name: "bulk_push" } } })).toBe(10_000);
    const list = (xs: number[]) => xs.map((t) => t.toFixed(0)).join(" / ");
    console.info(
      `10,000-point push (${process.env.TEST_DATABASE_URL ? "MariaDB" : "SQLite"}): wall ${list(times)} ms, this process's CPU ${list(cpu)} ms (first: inserts, then upserts of the same points)`,
    );
  });
});

describe("reading business metrics", () => {
  it("downsamples 30 days of minute data to at most 1,000 points per series, aggregating in the database", async () => {
    const now = Date.now();
    const start = now - 30 * 86_400_000 + MIN;
    const total = 30 * 24 * 60 - 1;
    for (let offset = 0; offset < total; offset += 10_000) {
      const points = Array.from({ length: Math.min(10_000, total - offset) }, (_, j) => ({ at: start + (offset + j) * MIN, value: (offset + j) % 60 }));
      expect((await push({ series: [{ name: "minute_data", labels: { region: "eu" }, points }] })).status).toBe(200);
    }
    const started = performance.now();
    const chart = await queryBusinessMetric(ZBusinessMetricQuery.parse({ name: "minute_data", range: "30d", agg: "max" }), new Date(now));
    const ms = performance.now() - started;
    expect(chart.points.length).toBeLessThanOrEqual(1_000);
    expect(chart.points.length).toBeGreaterThan(700);
    expect(chart.bucketMs).toBe(3_600_000);
    // Each full hour holds the values 0..59: max 59, and the hourly sum is 0+1+…+59 = 1770.
    expect(chart.points.slice(1, -1).every((p) => p.s0 === 59)).toBe(true);
    const sum = await queryBusinessMetric(ZBusinessMetricQuery.parse({ name: "minute_data", range: "30d", agg: "sum" }), new Date(now));
    expect(sum.points.slice(1, -1).every((p) => p.s0 === 1770)).toBe(true);
    console.info(`30 d of minute data (43,199 points) -> ${chart.points.length} hourly points in ${ms.toFixed(0)} ms`);
  });

  it("aggregates a bucket with avg, sum, min, max or last, and filters by label", async () => {
    const t0 = base();
    await push({
      series: [
        { name: "checkout_revenue_eur", labels: { region: "eu" }, points: [{ at: t0, value: 10 }, { at: t0 + 10 * MIN, value: 30 }, { at: t0 + 40 * MIN, value: 20 }] },
        { name: "checkout_revenue_eur", labels: { region: "us" }, points: [{ at: t0, value: 5 }] },
      ],
    });
    const q = (agg: string, extra: Record<string, string> = {}) =>
      queryBusinessMetric(ZBusinessMetricQuery.parse({ name: "checkout_revenue_eur", range: "custom", from: new Date(t0).toISOString(), to: new Date(t0 + 3_600_000).toISOString(), agg, ...extra }));
    // One hour, 3 points at most per series: 20 minutes apart on average, so buckets of 30 minutes.
    const avg = await q("avg");
    expect(avg.bucketMs).toBe(1_800_000);
    expect(avg.series.map((s) => s.label)).toEqual(["region=eu", "region=us"]);
    expect((await q("avg", { "label.region": "eu" })).points.map((p) => p.s0)).toEqual([20, 20]);
    expect((await q("sum", { "label.region": "eu" })).points.map((p) => p.s0)).toEqual([40, 20]);
    expect((await q("min", { "label.region": "eu" })).points.map((p) => p.s0)).toEqual([10, 20]);
    expect((await q("max", { "label.region": "eu" })).points.map((p) => p.s0)).toEqual([30, 20]);
    expect((await q("last", { "label.region": "eu" })).points.map((p) => p.s0)).toEqual([30, 20]);
    const us = await q("sum", { "label.region": "us" });
    expect(us.series.map((s) => s.label)).toEqual(["region=us"]);
    expect(us.points).toEqual([{ t: t0, s0: 5 }]);
  });

  it("shows at most 20 series and says when a metric has more", async () => {
    const t0 = base();
    await push({ series: Array.from({ length: 25 }, (_, i) => ({ name: "many_series", labels: { shard: String(i).padStart(2, "0") }, points: [{ at: t0 + i * 1000, value: i }] })) });
    const chart = await queryBusinessMetric(ZBusinessMetricQuery.parse({ name: "many_series", range: "24h" }));
    expect(chart).toMatchObject({ totalSeries: 25, capped: true });
    expect(chart.series).toHaveLength(20);
    // The most recently pushed are the ones shown.
    expect(chart.series[0]!.label).toBe("shard=05");
  });

  it("lists metrics with label values, and GET /api/v1/metrics/query answers a viewer's token", async () => {
    const list = await listRoute(get("/api/v1/metrics?name=orders_placed"));
    expect(list.status).toBe(200);
    const { data } = (await list.json()) as { data: { metrics: { name: string; series: number; labels: { key: string; values: string[] }[] }[]; series: { labels: Record<string, string> }[] } };
    expect(data.metrics.find((m) => m.name === "orders_placed")).toMatchObject({ series: 2, labels: [{ key: "region", values: ["eu", "us"], more: false }] });
    expect(data.series.map((s) => s.labels.region).sort()).toEqual(["eu", "us"]);

    const res = await queryRoute(get("/api/v1/metrics/query?name=orders_placed&range=24h&agg=sum&label.region=eu"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { series: { labels: Record<string, string>; points: { at: string; value: number }[] }[]; capped: boolean } };
    expect(body.data.capped).toBe(false);
    expect(body.data.series).toEqual([{ labels: { region: "eu" }, points: expect.arrayContaining([expect.objectContaining({ value: expect.any(Number) })]) }]);
    expect(body.data.series[0]!.points.reduce((s, p) => s + p.value, 0)).toBe(85);

    const bad = await queryRoute(get("/api/v1/metrics/query?name=orders_placed&agg=median"));
    expect(bad.status).toBe(400);
    expect((await queryRoute(new Request("http://portal.test/api/v1/metrics/query?name=x"))).status).toBe(401);
  });

  it("prunes points older than the retention in chunks, and series left empty", async () => {
    const now = new Date();
    const old = now.getTime() - 20 * 86_400_000;
    await push({ series: [{ name: "prune_me", points: Array.from({ length: 120 }, (_, i) => ({ at: old + i * MIN, value: i })) }] });
    await push({ series: [{ name: "prune_part", points: [{ at: old, value: 1 }, { at: now.getTime() - MIN, value: 2 }] }] });
    const result = await pruneBusinessMetrics({ now, retentionDays: 10, chunk: 50 });
    expect(result.points).toBeGreaterThanOrEqual(121);
    expect(await db.metricSeries.count({ where: { name: "prune_me" } })).toBe(0);
    expect((await stored("prune_part")).map((p) => p.value)).toEqual([2]);
    expect(await db.metricPoint.count({ where: { at: { lt: new Date(now.getTime() - 10 * 86_400_000) } } })).toBe(0);
  });
});
