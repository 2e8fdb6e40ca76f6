import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sealSecret } from "../../crypto/secret-box.ts";
import { createWebhookDriver, signBody, ZWebhookDriverConfig, type WebhookContext } from "./webhook.ts";

/*
 * A small CI/CD system on node:http: refuses any request whose X-Ops-Portal-Signature is not the
 * HMAC-SHA256 of the body with its secret, runs "jobs" that finish after a few polls, and reports
 * the live colour.
 */
const SECRET = "s3cret-shared-with-ci";

type Job = { id: number; action: string; colour: string; polls: number; failAfter?: boolean };
const ci = {
  server: null as http.Server | null,
  url: "",
  live: null as string | null,
  jobs: [] as Job[],
  received: [] as Record<string, unknown>[],
  refused: 0,
  mode: "poll-json" as "poll-json" | "location" | "template" | "immediate" | "fail-deploy" | "never-done",
};

function verify(req: http.IncomingMessage, body: string): boolean {
  const given = Buffer.from(String(req.headers["x-ops-portal-signature"] ?? ""));
  const want = Buffer.from(`sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`);
  return given.length === want.length && timingSafeEqual(given, want);
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  ci.server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (!verify(req, body)) {
        ci.refused += 1;
        return json(res, 401, { error: "bad signature" });
      }
      const url = new URL(req.url ?? "/", ci.url);
      if (req.method === "GET" && url.pathname === "/hooks/deploy/live") return json(res, 200, { colour: ci.live });
      if (req.method === "POST" && url.pathname === "/hooks/deploy") {
        const payload = JSON.parse(body) as Record<string, string>;
        ci.received.push(payload);
        const job: Job = { id: ci.jobs.length + 1, action: payload.action ?? "", colour: payload.colour ?? "", polls: 0 };
        job.failAfter = ci.mode === "fail-deploy" && job.action === "deploy";
        ci.jobs.push(job);
        if (ci.mode === "immediate") {
          if (job.action === "switch") ci.live = job.colour;
          return json(res, 200, { status: "succeeded" });
        }
        if (ci.mode === "location") return json(res, 202, {}, { location: `/jobs/${job.id}` });
        if (ci.mode === "template") return json(res, 202, { id: job.id });
        return json(res, 202, { statusUrl: `${ci.url}/jobs/${job.id}` });
      }
      const m = /^\/jobs\/(\d+)$/.exec(url.pathname);
      const job = m ? ci.jobs[Number(m[1]) - 1] : undefined;
      if (req.method === "GET" && job) {
        job.polls += 1;
        if (ci.mode === "never-done" || job.polls < 3) return json(res, 200, { status: "running" });
        if (job.failAfter) return json(res, 200, { status: "failed", message: "image pull failed" });
        if (job.action === "switch") ci.live = job.colour;
        return json(res, 200, { status: "succeeded" });
      }
      json(res, 404, { error: "not found" });
    });
  });
  await new Promise<void>((r) => ci.server?.listen(0, "127.0.0.1", r));
  ci.url = `http://127.0.0.1:${(ci.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  ci.server?.closeAllConnections();
  await new Promise((r) => ci.server?.close(r));
});
beforeEach(() => {
  ci.live = "blue";
  ci.jobs = [];
  ci.received = [];
  ci.refused = 0;
  ci.mode = "poll-json";
});

const lines: string[] = [];
function ctx(signal = new AbortController().signal): WebhookContext {
  lines.length = 0;
  return {
    service: { id: "svc", name: "payments", environment: "PRODUCTION" },
    version: "4.2.0",
    urls: { BLUE: "http://blue.internal", GREEN: "http://green.internal" },
    log: (m) => lines.push(m),
    signal,
    deploymentId: "dep_1",
  };
}
function driver(overrides: Record<string, unknown> = {}, secret = SECRET) {
  const config = ZWebhookDriverConfig.parse({ url: `${ci.url}/hooks/deploy`, pollIntervalMs: 100, timeoutMs: 5_000, ...overrides });
  return createWebhookDriver(config, { webhookSecretSealed: secret ? sealSecret(secret) : "" });
}

describe("webhook driver", () => {
  it("signs the body with HMAC-SHA256 in the X-Ops-Portal-Signature header", () => {
    expect(signBody("k", '{"a":1}')).toBe(`sha256=${createHmac("sha256", "k").update('{"a":1}').digest("hex")}`);
  });

  it("posts a signed deploy, polls the status URL it is given until succeeded, and sends the deployment's details", async () => {
    await driver().deploy(ctx(), "GREEN");
    expect(ci.received).toEqual([{ action: "deploy", service: "payments", environment: "PRODUCTION", version: "4.2.0", colour: "green", deploymentId: "dep_1" }]);
    expect(ci.jobs[0]?.polls).toBe(3);
    expect(ci.refused).toBe(0);
    expect(lines.at(-1)).toMatch(/deploying 4.2.0 to GREEN succeeded/);
  });

  it("switches traffic and reads the new live colour back from <url>/live", async () => {
    const d = driver();
    expect(await d.readLive(ctx())).toBe("BLUE");
    await d.switchTo(ctx(), "GREEN");
    expect(await d.readLive(ctx())).toBe("GREEN");
    ci.live = null;
    expect(await d.readLive(ctx())).toBeNull();
  });

  it("follows a Location header, or the status URL template filled with the job id", async () => {
    ci.mode = "location";
    await driver().deploy(ctx(), "GREEN");
    expect(ci.jobs[0]?.polls).toBe(3);
    ci.mode = "template";
    await driver({ statusUrlTemplate: `${ci.url}/jobs/{id}?d={deploymentId}&c={colour}` }).switchTo(ctx(), "GREEN");
    expect(ci.jobs[1]?.polls).toBe(3);
    expect(ci.live).toBe("green");
  });

  it("accepts an answer that is already settled without polling", async () => {
    ci.mode = "immediate";
    await driver().switchTo(ctx(), "GREEN");
    expect(ci.live).toBe("green");
  });

  it("fails with the CI system's message when the job fails", async () => {
    ci.mode = "fail-deploy";
    await expect(driver().deploy(ctx(), "GREEN")).rejects.toThrow("The CI/CD system reports that deploying 4.2.0 to GREEN failed: image pull failed.");
  });

  it("gives up after the timeout when the job never finishes", async () => {
    ci.mode = "never-done";
    const started = Date.now();
    await expect(driver({ timeoutMs: 1_000 }).deploy(ctx(), "GREEN")).rejects.toThrow(/did not finish deploying 4.2.0 to GREEN within 1000 ms \(last status: running\)/);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it("stops polling as soon as the deployment is aborted", async () => {
    ci.mode = "never-done";
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error("rollback requested")), 250);
    const started = Date.now();
    await expect(driver({ timeoutMs: 60_000 }).deploy(ctx(abort.signal), "GREEN")).rejects.toThrow("rollback requested");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("is refused by the CI system when the secret is wrong, and says so", async () => {
    await expect(driver({}, "not-the-secret").deploy(ctx(), "GREEN")).rejects.toThrow(/refused the signature \(HTTP 401\)/);
    await expect(driver({}, "not-the-secret").readLive(ctx())).rejects.toThrow(/refused the signature/);
    expect(ci.refused).toBe(2);
    expect(ci.jobs).toHaveLength(0);
  });

  it("preflight needs a secret and a live endpoint that accepts the signature", async () => {
    await driver().preflight(ctx());
    expect(lines.at(-1)).toMatch(/signature accepted\); live colour BLUE/);
    await expect(driver({}, "").preflight(ctx())).rejects.toThrow(/no secret/);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(driver({ url: `http://127.0.0.1:${port}/hooks` }).preflight(ctx())).rejects.toThrow(`GET http://127.0.0.1:${port}/hooks/live failed: ECONNREFUSED`);
  });

  it("refuses a colour it does not know from /live", async () => {
    ci.live = "purple";
    await expect(driver().readLive(ctx())).rejects.toThrow(/unknown colour: purple/);
  });

  it("validates its config: http(s) URLs only, sane polling", () => {
    expect(ZWebhookDriverConfig.safeParse({ url: "file:///etc/passwd" }).success).toBe(false);
    expect(ZWebhookDriverConfig.safeParse({ url: "https://ci/x", statusUrlTemplate: "gopher://x/{id}" }).success).toBe(false);
    expect(ZWebhookDriverConfig.parse({ url: "https://ci.example.com/hooks" })).toMatchObject({ pollIntervalMs: 2_000, timeoutMs: 600_000 });
  });
});
