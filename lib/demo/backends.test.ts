import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { demoBackendConfig, startDemoBackends, type DemoBackends } from "./backends.ts";

const run = promisify(execFile);
const SCRIPT = path.resolve("scripts/demo-target.mjs");

let backends: DemoBackends | null = null;
let stateDir = "";

afterEach(async () => {
  await backends?.stop();
  backends = null;
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

async function start() {
  stateDir = mkdtempSync(path.join(tmpdir(), "demo-backends-"));
  backends = await startDemoBackends({ ports: { BLUE: 0, GREEN: 0 }, stateDir });
  return backends;
}

/** The demo target's command as the COMMAND driver runs it: /bin/sh with the OPS_* environment. */
function target(command: string, env: Record<string, string>) {
  return run("/bin/sh", ["-c", `node ${JSON.stringify(SCRIPT)} ${command} --state ${JSON.stringify(stateDir)}`], {
    env: { ...process.env, OPS_SERVICE: "orders-service", OPS_ENVIRONMENT: "PRODUCTION", ...env },
  });
}

describe("demo backends", () => {
  it("answer health with their colour and version and name the colour on every response", async () => {
    const { urls } = await start();
    const health = await fetch(`${urls.GREEN}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ colour: "green", version: "1.0.0" });
    const page = await fetch(`${urls.BLUE}/`);
    expect(page.headers.get("x-colour")).toBe("blue");
    expect(await page.text()).toContain("blue");
  });

  it("run the version the deploy command put on the idle colour, and fail health for an unhealthy build", async () => {
    const { urls } = await start();
    const out = await target("deploy", { OPS_COLOUR: "GREEN", OPS_VERSION: "orders-service 8.0.0", OPS_URL: urls.GREEN });
    expect(out.stdout).toContain("reports version orders-service 8.0.0");
    expect(await (await fetch(`${urls.GREEN}/health`)).json()).toEqual({ colour: "green", version: "orders-service 8.0.0" });
    expect(await (await fetch(`${urls.BLUE}/health`)).json()).toEqual({ colour: "blue", version: "1.0.0" });

    await target("deploy", { OPS_COLOUR: "BLUE", OPS_VERSION: "9.0.0-unhealthy" });
    expect((await fetch(`${urls.BLUE}/health`)).status).toBe(503);
  });

  it("status prints nothing before the first switch, then the colour the switch command recorded per service", async () => {
    await start();
    expect((await target("status", {})).stdout).toBe("");
    await target("switch", { OPS_COLOUR: "GREEN" });
    expect((await target("status", {})).stdout.trim()).toBe("green");
    expect((await target("status", { OPS_SERVICE: "search" })).stdout).toBe("");
    await target("switch", { OPS_COLOUR: "BLUE" });
    expect((await target("status", {})).stdout.trim()).toBe("blue");
  });

  it("refuses a switch without a colour, so a misconfigured target fails its step", async () => {
    await start();
    await expect(target("switch", {})).rejects.toThrow(/OPS_COLOUR must be blue or green/);
  });

  it("take their ports from DEMO_BACKEND_PORTS, else next to the portal's port", () => {
    expect(demoBackendConfig({ DEMO_BACKEND_PORTS: "4500, 4501", DATA_DIR: "/tmp/x" })).toEqual({
      ports: { BLUE: 4500, GREEN: 4501 },
      stateDir: "/tmp/x/demo-backends/4500-4501",
    });
    expect(demoBackendConfig({ PORT: "3250", DATA_DIR: "/tmp/x" }).ports).toEqual({ BLUE: 4351, GREEN: 4352 });
    expect(() => demoBackendConfig({ DEMO_BACKEND_PORTS: "4500,4500" })).toThrow(/two different ports/);
  });
});
