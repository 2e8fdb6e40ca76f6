import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certWarning, MAX_BODY_BYTES, probeOnce } from "./probe.ts";
import type { ProbeSpec } from "./types.ts";

/*
 * probeOnce against local servers on ephemeral ports: HTTP up, down, slow, wrong status, keyword;
 * TCP open and closed; HTTPS with a self-signed certificate made by openssl.
 */

const base: ProbeSpec = {
  id: "c1",
  kind: "HTTP",
  url: "",
  method: "GET",
  expectedStatusMin: 200,
  expectedStatusMax: 399,
  keyword: "",
  tlsExpiryWarnDays: 14,
  ignoreTlsErrors: false,
  host: "",
  port: 0,
  timeoutMs: 2_000,
  intervalSeconds: 30,
  retries: 1,
};

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));
}
const close = (server: net.Server) => new Promise<void>((r) => server.close(() => r()));

let httpServer: http.Server;
let httpUrl = "";
const methods: string[] = [];

beforeAll(async () => {
  httpServer = http.createServer((req, res) => {
    methods.push(req.method ?? "");
    const u = new URL(req.url ?? "/", "http://x");
    if (u.pathname === "/ok") return res.end("all systems nominal");
    if (u.pathname === "/status") return res.writeHead(Number(u.searchParams.get("code"))).end("x");
    if (u.pathname === "/slow") return setTimeout(() => res.end("late"), Number(u.searchParams.get("ms"))).unref();
    if (u.pathname === "/big") {
      // 3 MB of filler with the keyword after the first megabyte: never read.
      res.write(Buffer.alloc(MAX_BODY_BYTES + 10, "a"));
      res.end("needle" + "b".repeat(2 * MAX_BODY_BYTES));
      return;
    }
    res.writeHead(404).end();
  });
  httpUrl = `http://127.0.0.1:${await listen(httpServer)}`;
});
afterAll(async () => {
  httpServer.closeAllConnections();
  await close(httpServer);
});

describe("HTTP probes", () => {
  it("reports an answering service as ok with its status and latency", async () => {
    const r = await probeOnce({ ...base, url: `${httpUrl}/ok` });
    expect(r).toMatchObject({ ok: true, statusCode: 200, error: "", certExpiresAt: null });
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.latencyMs).toBeLessThan(1_000);
    expect(r.at).toBeInstanceOf(Date);
  });

  it("fails a status outside the expected range and says which range", async () => {
    const r = await probeOnce({ ...base, url: `${httpUrl}/status?code=503` });
    expect(r).toMatchObject({ ok: false, statusCode: 503, error: "HTTP 503 is outside the expected 200-399." });
    const accepted = await probeOnce({ ...base, url: `${httpUrl}/status?code=503`, expectedStatusMin: 500, expectedStatusMax: 599 });
    expect(accepted.ok).toBe(true);
  });

  it("uses the check's method", async () => {
    methods.length = 0;
    await probeOnce({ ...base, method: "HEAD", url: `${httpUrl}/ok` });
    expect(methods).toEqual(["HEAD"]);
  });

  it("passes when the body contains the keyword and fails when it does not", async () => {
    expect((await probeOnce({ ...base, url: `${httpUrl}/ok`, keyword: "nominal" })).ok).toBe(true);
    const r = await probeOnce({ ...base, url: `${httpUrl}/ok`, keyword: "degraded" });
    expect(r).toMatchObject({ ok: false, statusCode: 200, error: 'The body does not contain "degraded".' });
  });

  it("reads at most a megabyte of the body when looking for the keyword", async () => {
    const r = await probeOnce({ ...base, url: `${httpUrl}/big`, keyword: "needle" });
    expect(r.ok).toBe(false);
    expect(r.error).toContain(`first ${MAX_BODY_BYTES} bytes read`);
  });

  it("fails a slow service at the timeout, which bounds the whole probe", async () => {
    const t0 = performance.now();
    const r = await probeOnce({ ...base, url: `${httpUrl}/slow?ms=2000`, timeoutMs: 200 });
    expect(r).toMatchObject({ ok: false, statusCode: null, error: "No answer within 200 ms." });
    expect(performance.now() - t0).toBeLessThan(600);
    expect(r.latencyMs).toBeGreaterThanOrEqual(199);
  });

  it("fails a service that is down with connection refused", async () => {
    const port = await freePort();
    const r = await probeOnce({ ...base, url: `http://127.0.0.1:${port}/` });
    expect(r).toMatchObject({ ok: false, statusCode: null, error: "Connection refused." });
  });

  it("refuses a URL it cannot probe without throwing", async () => {
    expect(await probeOnce({ ...base, url: "not a url" })).toMatchObject({ ok: false, error: "Not a valid URL: not a url" });
    expect(await probeOnce({ ...base, url: "ftp://x/" })).toMatchObject({ ok: false, error: expect.stringContaining("ftp:") });
  });

  it("stops when the signal aborts", async () => {
    const ac = new AbortController();
    const pending = probeOnce({ ...base, url: `${httpUrl}/slow?ms=2000`, timeoutMs: 5_000 }, ac.signal);
    setTimeout(() => ac.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, error: "Stopped before it finished." });
  });
});

describe("TCP probes", () => {
  it("is ok when the port accepts a connection", async () => {
    const server = net.createServer((s) => s.end());
    const port = await listen(server);
    try {
      const r = await probeOnce({ ...base, kind: "TCP", host: "127.0.0.1", port });
      expect(r).toMatchObject({ ok: true, statusCode: null, error: "" });
    } finally {
      await close(server);
    }
  });

  it("fails when the port is closed", async () => {
    const port = await freePort();
    expect(await probeOnce({ ...base, kind: "TCP", host: "127.0.0.1", port })).toMatchObject({ ok: false, error: "Connection refused." });
  });

  it("fails without a host and port", async () => {
    expect(await probeOnce({ ...base, kind: "TCP" })).toMatchObject({ ok: false, error: "No host and port to connect to." });
  });
});

describe("HTTPS probes", () => {
  let dir = "";
  let server: https.Server;
  let url = "";
  let expires: Date;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "probe-tls-"));
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    // A self-signed certificate valid for 5 days: inside the default 14-day warning.
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "5", "-subj", "/CN=localhost"], { stdio: "ignore" });
    const enddate = execFileSync("openssl", ["x509", "-in", cert, "-noout", "-enddate"]).toString().trim().replace("notAfter=", "");
    expires = new Date(enddate);
    server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end("secure hello"));
    url = `https://127.0.0.1:${await listen(server)}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it("fails a self-signed certificate unless TLS errors are ignored", async () => {
    const r = await probeOnce({ ...base, url });
    expect(r.ok).toBe(false);
    expect(r.error).toContain("self-signed");
  });

  it("reads the certificate's expiry and warns, still ok, when it is inside the warning period", async () => {
    const r = await probeOnce({ ...base, url, ignoreTlsErrors: true, keyword: "secure" });
    expect(r.ok).toBe(true);
    expect(r.statusCode).toBe(200);
    expect(r.certExpiresAt?.getTime()).toBe(expires.getTime());
    expect(r.error).toMatch(/^Warning: the TLS certificate expires in [45] days/);
  });

  it("does not warn when the certificate expires after the warning period", async () => {
    const r = await probeOnce({ ...base, url, ignoreTlsErrors: true, tlsExpiryWarnDays: 3 });
    expect(r).toMatchObject({ ok: true, error: "" });
    expect(r.certExpiresAt).not.toBeNull();
  });
});

describe("certWarning", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("says nothing outside the period or with warnings off, and warns of an expired certificate", () => {
    expect(certWarning(new Date(now + 20 * 86_400_000), 14, now)).toBe("");
    expect(certWarning(new Date(now + 2 * 86_400_000), 0, now)).toBe("");
    expect(certWarning(new Date(now + 1 * 86_400_000 + 5), 14, now)).toBe("Warning: the TLS certificate expires in 1 day (2026-01-02).");
    expect(certWarning(new Date(now - 1), 14, now)).toBe("Warning: the TLS certificate expired on 2025-12-31.");
  });
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  const port = await listen(s);
  await close(s);
  return port;
}
