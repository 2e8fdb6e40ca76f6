import client from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_POINTS } from "../charts/range.ts";
import { db } from "../db/client.ts";
import { makeUser, signInAs, TEST_CONTEXT } from "../testing/actors.ts";
import { listen, startNodeExporter, startPrometheus, waitForSeries, type RunningPrometheus } from "../testing/prometheus.ts";
import { saveDatasource, type Datasource } from "./datasource.ts";
import { runServicePanel, saveSelectors } from "./panels.ts";
import { fetchBuildInfo, MAX_SERIES, PrometheusError, queryRange, stepFor } from "./prometheus.ts";

/*
 * Against a real Prometheus (Debian's package), started here on a free loopback port, scraping
 * every second a small app exposing prom-client metrics and, when installed, a node exporter.
 */

let prom: RunningPrometheus;
let app: Awaited<ReturnType<typeof listen>>;
let nodeExporter: Awaited<ReturnType<typeof startNodeExporter>>;
let ds: Datasource;

const registry = new client.Registry();
const requests = new client.Counter({ name: "http_requests_total", help: "requests", labelNames: ["route", "status"] as const, registers: [registry] });
const duration = new client.Histogram({
  name: "http_request_duration_seconds",
  help: "latency",
  labelNames: ["route", "status"] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1],
  registers: [registry],
});
// 30 series: more than a panel shows.
const wide = new client.Gauge({ name: "test_wide", help: "many series", labelNames: ["shard"] as const, registers: [registry] });
for (let i = 0; i < 30; i++) wide.set({ shard: String(i) }, i);

function traffic() {
  for (let i = 0; i < 20; i++) {
    requests.inc({ route: "/a", status: "200" });
    duration.observe({ route: "/a", status: "200" }, 0.02 + (i % 5) * 0.01);
  }
  requests.inc({ route: "/a", status: "500" });
  duration.observe({ route: "/a", status: "500" }, 0.3);
}

beforeAll(async () => {
  app = await listen((req, res) => {
    traffic();
    void registry.metrics().then((text) => res.writeHead(200, { "content-type": registry.contentType }).end(text));
  });
  nodeExporter = await startNodeExporter();
  prom = await startPrometheus([
    { name: "app", target: app.url.replace("http://", "") },
    ...(nodeExporter ? [{ name: "node", target: nodeExporter.target }] : []),
  ]);
  ds = { url: prom.url, auth: { kind: "none" }, timeoutMs: 5000, scrapeIntervalS: 1, source: "setting" };
  // Enough scrapes for rate() over a 4 s window.
  await waitForSeries(prom.url, 'count_over_time(http_requests_total{job="app",status="200"}[1m]) >= 8');
  if (nodeExporter) await waitForSeries(prom.url, 'rate(node_cpu_seconds_total{job="node",mode="idle"}[4s])');
}, 90_000);

afterAll(async () => {
  await prom?.stop();
  await nodeExporter?.stop();
  await app?.close();
});

const lastMinutes = (m: number) => ({ from: new Date(Date.now() - m * 60_000), to: new Date() });

describe("Prometheus client against a real Prometheus", () => {
  it("reads the build info (what Test connection shows)", async () => {
    const info = await fetchBuildInfo(ds);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("returns a range query as chart points on the step grid, one key per series, with real values", async () => {
    const result = await queryRange(ds, [{ query: 'sum by (status) (rate(http_requests_total{job="app"}[$__rate_interval]))' }], lastMinutes(5));
    expect(result.series.map((s) => s.label).sort()).toEqual(['status="200"', 'status="500"']);
    expect(result.stepMs).toBe(1000);
    expect(result.points.length).toBeGreaterThan(250);
    expect(result.points.length).toBeLessThanOrEqual(MAX_POINTS);
    for (const [i, p] of result.points.entries()) if (i) expect(p.t - result.points[i - 1]!.t).toBe(result.stepMs);
    const ok = result.series.find((s) => s.label === 'status="200"')!.key;
    const values = result.points.map((p) => p[ok]).filter((v): v is number => typeof v === "number");
    expect(values.length).toBeGreaterThan(2);
    expect(Math.max(...values)).toBeGreaterThan(0);
    // Before Prometheus started there is nothing: those steps are null, not zero.
    expect(result.points[0]![ok]).toBeNull();
  });

  it("never asks for more than 1,000 points per series, whatever the range", async () => {
    for (const days of [1 / 24, 1, 7, 30, 400]) {
      const range = { from: new Date(Date.now() - days * 86_400_000), to: new Date() };
      const { stepMs, startMs, endMs } = stepFor(range, 1);
      expect((endMs - startMs) / stepMs + 1).toBeLessThanOrEqual(MAX_POINTS);
      const result = await queryRange(ds, [{ query: 'sum(http_requests_total{job="app"})' }], range);
      expect(result.points.length).toBeLessThanOrEqual(MAX_POINTS);
      expect(result.series).toHaveLength(1);
    }
  });

  it("caps a panel at 20 series and says how many there were", async () => {
    const result = await queryRange(ds, [{ query: 'test_wide{job="app"}' }], lastMinutes(2));
    expect(result.series).toHaveLength(MAX_SERIES);
    expect(result.truncated).toEqual({ shown: MAX_SERIES, total: 30 });
    expect(result.series[0]!.label).toMatch(/^shard="\d+"$/);
  });

  it("turns bad PromQL into a 400 with Prometheus' own explanation", async () => {
    const err = await queryRange(ds, [{ query: "sum(rate(http_requests_total[5m])" }], lastMinutes(5)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect((err as PrometheusError).kind).toBe("bad_query");
    expect((err as PrometheusError).httpStatus).toBe(400);
    expect((err as PrometheusError).message).toMatch(/^Prometheus did not accept the query: .*parse error/);
  });

  it("says a query returning a single value is not a time series", async () => {
    const err = await queryRange(ds, [{ query: '"text"' }], lastMinutes(5)).catch((e: unknown) => e);
    expect((err as PrometheusError).kind).toBe("bad_query");
  });

  it("runs the ready-made panels with the service's selectors: CPU, memory, disk, network and the app's requests, errors and p95", async () => {
    const admin = (await signInAs((await makeUser("ADMIN")).id)).user;
    await saveDatasource(admin, { url: prom.url, auth: "none", timeoutMs: 5000, scrapeIntervalS: 1 }, TEST_CONTEXT, "test");
    const service = await db.service.create({ data: { name: "checkout", environment: "PRODUCTION", ownerTeam: "Payments", tier: 1 } });
    await saveSelectors(admin, { serviceId: service.id, promNodeSelector: nodeExporter ? 'job="node"' : "", promAppSelector: 'job="app"' }, TEST_CONTEXT);

    const range = lastMinutes(10);
    const keys = ["requests", "errors", "latency", ...(nodeExporter ? ["cpu", "memory", "disk", "network"] : [])];
    for (const key of keys) {
      const panel = await runServicePanel(service.id, key, range);
      const values = panel.points.flatMap((p) => panel.series.map((s) => p[s.key])).filter((v): v is number => typeof v === "number");
      expect(values.length, `${key} has values`).toBeGreaterThan(0);
      if (panel.unit === "percent") for (const v of values) expect(v).toBeGreaterThanOrEqual(0);
    }
    const errors = await runServicePanel(service.id, "errors", range);
    const share = errors.points.map((p) => p[errors.series[0]!.key]).filter((v): v is number => typeof v === "number").at(-1)!;
    expect(share).toBeGreaterThan(100 / 21 - 1); // 1 of every 21 requests is a 500
    expect(share).toBeLessThan(100 / 21 + 1);
    if (nodeExporter) {
      const network = await runServicePanel(service.id, "network", range);
      expect(network.series.map((s) => s.label)).toEqual(expect.arrayContaining([expect.stringMatching(/^receive/), expect.stringMatching(/^transmit/)]));
    }
  });
});

describe("Prometheus client failures", () => {
  it("says which Prometheus did not answer when nothing listens there", async () => {
    const gone = await listen(() => undefined);
    const url = gone.url;
    await gone.close();
    const err = await fetchBuildInfo({ ...ds, url }).catch((e: unknown) => e);
    expect((err as PrometheusError).kind).toBe("unreachable");
    expect((err as Error).message).toBe(`Prometheus at ${url} did not answer: connection refused.`);
  });

  it("gives up after the data source's timeout", async () => {
    const silent = await listen(() => undefined); // accepts, never answers
    const started = Date.now();
    const err = await fetchBuildInfo({ ...ds, url: silent.url, timeoutMs: 600 }).catch((e: unknown) => e);
    await silent.close();
    expect(Date.now() - started).toBeLessThan(3000);
    expect((err as Error).message).toBe(`Prometheus at ${silent.url} did not answer within 0.6 s.`);
  });

  it("sends the bearer token and the basic-auth credentials, and explains a refusal", async () => {
    const seen: string[] = [];
    const guarded = await listen((req, res) => {
      seen.push(req.headers.authorization ?? "");
      const ok = req.headers.authorization === "Bearer s3cret-token" || req.headers.authorization === `Basic ${Buffer.from("grafana:pa:ss").toString("base64")}`;
      if (!ok) return res.writeHead(401).end("unauthorized");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data: { version: "9.9.9" } }));
    });
    try {
      expect(await fetchBuildInfo({ ...ds, url: guarded.url, auth: { kind: "bearer", token: "s3cret-token" } })).toEqual({ version: "9.9.9" });
      expect(await fetchBuildInfo({ ...ds, url: guarded.url, auth: { kind: "basic", username: "grafana", password: "pa:ss" } })).toEqual({ version: "9.9.9" });
      const err = await fetchBuildInfo({ ...ds, url: guarded.url, auth: { kind: "bearer", token: "wrong" } }).catch((e: unknown) => e);
      expect((err as PrometheusError).kind).toBe("auth");
      expect((err as Error).message).toContain("refused the portal's credentials (HTTP 401)");
      expect(seen).toEqual(["Bearer s3cret-token", `Basic ${Buffer.from("grafana:pa:ss").toString("base64")}`, "Bearer wrong"]);
    } finally {
      await guarded.close();
    }
  });

  it("says so when the URL is not a Prometheus server", async () => {
    const html = await listen((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>hello</html>"));
    const err = await fetchBuildInfo({ ...ds, url: html.url }).catch((e: unknown) => e);
    await html.close();
    expect((err as Error).message).toContain("is not Prometheus' JSON");
  });
});
