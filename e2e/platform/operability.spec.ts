import { expect, test } from "@playwright/test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { spawnServer } from "../support/spawn-server";

test("liveness answers ok without touching the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok" });
});

test("readiness reports the database reachable and every migration applied", async ({ request }) => {
  const res = await request.get("/api/ready");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({
    ready: true,
    checks: [
      { name: "process", ok: true },
      { name: "database", ok: true },
      { name: "migrations", ok: true },
    ],
  });
});

test("metrics are valid Prometheus exposition with request counts and durations by route pattern", async ({ request }) => {
  await request.get("/sign-in");
  await request.get("/api/health");
  const res = await request.get("/api/metrics");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/plain");
  const text = await res.text();
  const families = parsePrometheusTextFormat(text);
  const byName = new Map(families.map((f) => [f.name, f]));
  const requests = byName.get("http_requests_total");
  expect(requests?.type).toBe("COUNTER");
  const signIn = requests?.metrics.find((m) => m.labels?.route === "/sign-in" && m.labels?.method === "GET");
  expect(Number(signIn?.value)).toBeGreaterThanOrEqual(1);
  expect(byName.get("http_request_duration_seconds")?.type).toBe("HISTOGRAM");
  expect(byName.get("process_resident_memory_bytes")?.type).toBe("GAUGE");
});

test("pages carry security headers, a nonce-based CSP and a request id", async ({ request }) => {
  const res = await request.get("/sign-in", { headers: { "x-request-id": "trace-from-nginx-1234" } });
  const h = res.headers();
  expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["strict-transport-security"]).toBeUndefined(); // plain HTTP here
  expect(h["x-request-id"]).toBe("trace-from-nginx-1234");
  const other = await request.get("/sign-in");
  expect(other.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(other.headers()["content-security-policy"]).not.toBe(h["content-security-policy"]);
});

test("a server behind HTTPS sends HSTS, scrapers need METRICS_TOKEN, and SIGTERM drains and exits 0", async () => {
  test.setTimeout(90_000);
  const server = await spawnServer(3291, { METRICS_TOKEN: "scrape-secret", PORTAL_URL: "https://ops.example.test" });
  try {
    const page = await fetch(`${server.url}/api/health`);
    expect(page.headers.get("strict-transport-security")).toContain("max-age=");
    expect((await fetch(`${server.url}/api/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const ok = await fetch(`${server.url}/api/metrics`, { headers: { authorization: "Bearer scrape-secret" } });
    expect(ok.status).toBe(200);

    server.process.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("shutdown complete");
  } finally {
    server.process.kill("SIGKILL");
  }
});
