import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { PROMETHEUS_DATASOURCE_KEY } from "@/lib/metrics/datasource";
import { makeUser } from "@/lib/testing/actors";
import { freePort, listen } from "@/lib/testing/prometheus";

// The routes read the session cookie through next/headers; here the signed-in user is given directly.
const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/current-user", () => ({ currentUser: async () => session.user }));
const panels = await import("./panels/[serviceId]/route.ts");
const preview = await import("./preview/route.ts");
const portal = await import("./portal/route.ts");

/** A stand-in Prometheus: query_range answers one series on the asked grid; "bad(" is refused like Prometheus does. */
let fake: Awaited<ReturnType<typeof listen>>;
const queries: string[] = [];
beforeAll(async () => {
  fake = await listen((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const form = new URLSearchParams(body);
      const query = form.get("query") ?? "";
      queries.push(query);
      if (query.includes("bad(")) {
        return res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ status: "error", errorType: "bad_data", error: '1:5: parse error: unexpected "("' }));
      }
      const start = Number(form.get("start"));
      const end = Number(form.get("end"));
      const step = Number(form.get("step"));
      const values: [number, string][] = [];
      for (let t = start; t <= end; t += step) values.push([t, "=1+2"]);
      values[0]![1] = "42";
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({ status: "success", data: { resultType: "matrix", result: [{ metric: { instance: "db1:9100", job: "node" }, values }] } }),
      );
    });
  });
});
afterAll(() => fake.close());

let serviceId = "";
beforeEach(async () => {
  await db.setting.deleteMany({ where: { key: PROMETHEUS_DATASOURCE_KEY } });
  process.env.PROMETHEUS_URL = fake.url;
  queries.length = 0;
  await db.metricPanel.deleteMany();
  await db.service.deleteMany();
  serviceId = (await db.service.create({ data: { name: "checkout", environment: "PRODUCTION", ownerTeam: "Payments", tier: 1, promNodeSelector: 'instance="db1:9100"' } })).id;
});

async function signedIn(role: "VIEWER" | "OPERATOR" | "ADMIN") {
  const u = await makeUser(role);
  session.user = { id: u.id, email: u.email, name: u.name, role, sessionId: "s1", stepUpAt: null };
  return session.user;
}

const get = (path: string) => new Request(`http://portal.test${path}`, { headers: { "user-agent": "vitest" } });
const segment = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

describe("Prometheus panel routes", () => {
  it("lets a viewer read a ready-made panel as JSON and as formula-safe CSV, with the service's selector in the query", async () => {
    await signedIn("VIEWER");
    const res = await panels.GET(get(`/api/prometheus/panels/${serviceId}?panel=cpu&range=24h`), segment({ serviceId }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { title: string; unit: string; stepMs: number; series: { label: string }[]; points: unknown[] };
    expect(body).toMatchObject({ title: "CPU used", unit: "percent", stepMs: 120_000 });
    expect(body.series.map((s) => s.label)).toEqual(['{instance="db1:9100"}']);
    expect(body.points.length).toBeLessThanOrEqual(1000);
    expect(queries[0]).toContain('node_cpu_seconds_total{mode="idle",instance="db1:9100"}[135s]');

    const csv = await panels.GET(get(`/api/prometheus/panels/${serviceId}?panel=cpu&range=1h&format=csv`), segment({ serviceId }));
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="cpu-used-\d{8}-\d{4}\.csv"$/);
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]).toBe('time (UTC),"{instance=""db1:9100""}"');
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,42$/);
    // "=1+2" is not a number: a gap, never a formula in the spreadsheet.
    expect(lines[2]).toMatch(/Z,$/);
  });

  it("says which selector to set, and that no data source is configured", async () => {
    await signedIn("VIEWER");
    const app = await panels.GET(get(`/api/prometheus/panels/${serviceId}?panel=latency`), segment({ serviceId }));
    expect(app.status).toBe(400);
    expect(((await app.json()) as { error: { message: string } }).error.message).toContain("Set this service's app selector");
    delete process.env.PROMETHEUS_URL;
    const none = await panels.GET(get(`/api/prometheus/panels/${serviceId}?panel=cpu`), segment({ serviceId }));
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { message: string } }).error.message).toBe(
      "No Prometheus data source is configured. An administrator can add one under Admin > Prometheus.",
    );
  });

  it("answers 502 naming the address when Prometheus is down", async () => {
    process.env.PROMETHEUS_URL = `http://127.0.0.1:${await freePort()}`;
    await signedIn("VIEWER");
    const res = await panels.GET(get(`/api/prometheus/panels/${serviceId}?panel=cpu`), segment({ serviceId }));
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(`Prometheus at ${process.env.PROMETHEUS_URL} did not answer: connection refused.`);
  });

  it("runs unsaved PromQL only for people who may save panels, and passes on Prometheus' complaint", async () => {
    const viewer = await signedIn("VIEWER");
    const refused = await preview.GET(get("/api/prometheus/preview?query=up&range=1h"));
    expect(refused.status).toBe(403);
    expect(queries).toEqual([]);
    expect(await db.auditEvent.count({ where: { action: "access.denied", actorId: viewer.id } })).toBe(1);

    await signedIn("OPERATOR");
    const ok = await preview.GET(get(`/api/prometheus/preview?query=${encodeURIComponent("sum(up)")}&unit=percent&title=Up`));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ title: "Up", unit: "percent" });
    const bad = await preview.GET(get(`/api/prometheus/preview?query=${encodeURIComponent("bad(up")}`));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('Prometheus did not accept the query: 1:5: parse error: unexpected "("');
  });

  it("shows the portal's own history to administrators only", async () => {
    await signedIn("OPERATOR");
    expect((await portal.GET(get("/api/prometheus/portal?panel=portal-latency"))).status).toBe(403);
    await signedIn("ADMIN");
    const res = await portal.GET(get("/api/prometheus/portal?panel=portal-latency&range=7d"));
    expect(res.status).toBe(200);
    expect(queries.at(-1)).toContain('http_request_duration_seconds_bucket{app="ops-portal"}');
  });
});
