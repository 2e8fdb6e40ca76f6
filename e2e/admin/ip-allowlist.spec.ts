import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { setIpRules } from "../support/accounts";
import { spawnServer, type SpawnedServer } from "../support/spawn-server";

// A portal of its own on port 3331, so its rules cannot lock out the suite's shared server.
const PORT = 3331;
const dir = mkdtempSync(path.join(os.tmpdir(), "ops-portal-ip-e2e-"));
const databaseUrl = `file:${path.join(dir, "e2e-ip.db")}`;
let server: SpawnedServer;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  // 127.0.0.1 (where these requests come from) is outside the only allowed range.
  setIpRules(databaseUrl, { allow: ["10.0.0.0/8"] });
  server = await spawnServer(PORT, { DATABASE_URL: databaseUrl, DATA_DIR: dir });
});

test.afterAll(async () => {
  server?.process.kill("SIGTERM");
  await server?.exited;
});

const html = { accept: "text/html" };

/** Polls until the server's cached rules (5 s) have picked up a change made in the database. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  await expect.poll(check, { timeout: 12_000, intervals: [250, 500, 1_000] }).toBe(true);
}

test("refuses a client outside the allow-list on pages, sign-in, static files and the API", async ({ page }) => {
  const chunk = readdirSync(".next/static/chunks").find((f) => f.endsWith(".js"));
  const staticFile = `/_next/static/chunks/${chunk}`;
  for (const p of ["/", "/sign-in", staticFile, "/icon.svg", "/api/metrics", "/api/v1/changes", "/api/auth/session"]) {
    const res = await fetch(`${server.url}${p}`, { headers: html });
    expect(res.status, p).toBe(403);
  }
  const res = await fetch(`${server.url}/sign-in`, { headers: html });
  expect(res.headers.get("content-type")).toContain("text/html");
  expect(await res.text()).toContain("Access from <code>127.0.0.1</code> is not allowed.");
  const api = await fetch(`${server.url}/api/v1/changes`);
  expect(await api.text()).toBe("Access from 127.0.0.1 is not allowed.\n");

  await page.goto(`${server.url}/sign-in`);
  await expect(page.getByRole("heading", { name: "Access from your IP address is not allowed" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/ip-refused.png" });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 390, height: 700 });
  await page.screenshot({ path: "test-results/screens/ip-refused-phone-dark.png" });
});

test("ignores a forged X-Forwarded-For naming an allowed address when the peer is not a trusted proxy", async () => {
  const res = await fetch(`${server.url}/sign-in`, { headers: { ...html, "x-forwarded-for": "10.1.2.3" } });
  expect(res.status).toBe(403);
  const body = await res.text();
  expect(body).toContain("127.0.0.1");
  expect(body).not.toContain("10.1.2.3");
});

test("keeps liveness open and readiness open to loopback, for load balancers", async () => {
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);
});

test("believes X-Forwarded-For once the peer is a trusted proxy", async () => {
  setIpRules(databaseUrl, { allow: ["10.0.0.0/8"], trustedProxies: ["127.0.0.1"] });
  await eventually(async () => (await fetch(`${server.url}/sign-in`, { headers: { "x-forwarded-for": "10.1.2.3" } })).status === 200);
  const outside = await fetch(`${server.url}/sign-in`, { headers: { ...html, "x-forwarded-for": "192.0.2.44" } });
  expect(outside.status).toBe(403);
  expect(await outside.text()).toContain("Access from <code>192.0.2.44</code> is not allowed.");
});

test("lets the client in once the list contains 127.0.0.1/32", async ({ page }) => {
  setIpRules(databaseUrl, { allow: ["10.0.0.0/8", "127.0.0.1/32"] });
  await eventually(async () => (await fetch(`${server.url}/sign-in`)).status === 200);
  await page.goto(`${server.url}/sign-in`);
  await expect(page.getByRole("heading", { name: "Sign in to Ops Portal" })).toBeVisible();
  expect((await fetch(`${server.url}/icon.svg`)).status).toBe(200);
});
