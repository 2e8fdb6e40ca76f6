import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "../db/client.ts";
import { pirSuggestions } from "../deployments/pir.ts";
import { runDeployment } from "../deployments/runner.ts";
import { triggerDeployment } from "../deployments/trigger.ts";
import { TEST_CONTEXT } from "../testing/actors.ts";
import { startDemoBackends, type DemoBackendConfig } from "./backends.ts";
import { seedDemo } from "./seed.ts";

// The whole demo seed writes 30 days of health history and business metrics: on a loaded CI
// machine with MariaDB that takes longer than the default 30 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const run = promisify(execFile);
const stateDir = mkdtempSync(path.join(tmpdir(), "demo-deploy-"));
const config: DemoBackendConfig = { ports: { BLUE: 4597, GREEN: 4598 }, stateDir };
const backends = await startDemoBackends(config);
afterAll(async () => {
  await backends.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe("the demo's deployable change", () => {
  it("deploys on the demo backends: the idle colour runs the new version, takes the traffic, and the review is drafted from it", async () => {
    await seedDemo(db, config);
    const change = await db.changeRequest.findFirstOrThrow({ where: { title: "Invoice PDF renderer 2.0" }, include: { service: true } });
    const release = await db.user.findUniqueOrThrow({ where: { email: "release@demo.local" }, select: { id: true, email: true, name: true, role: true } });

    const started = Date.now();
    // Every gate holds for release@demo.local right after seeding (window, checklist, target, no freeze).
    const { id, created } = await triggerDeployment({ ...release, stepUpAt: new Date() }, { changeId: change.id, idempotencyKey: "demo-1" }, TEST_CONTEXT, "ui");
    expect(created).toBe(true);
    // The runner as the server's loop runs it.
    expect(await runDeployment(id)).toEqual({ status: "SUCCEEDED" });
    const tookMs = Date.now() - started;

    const deployment = await db.deployment.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(deployment.status, deployment.outcome).toBe("SUCCEEDED");
    expect(deployment.steps.map((s) => s.status)).toEqual(Array(6).fill("SUCCEEDED"));
    expect(deployment).toMatchObject({ fromColour: null, toColour: "BLUE", liveColour: "BLUE" });
    // About the 10-15 s the demo is tuned for (5 s of validation, 3 health checks).
    expect(tookMs).toBeGreaterThan(5_000);
    expect(tookMs).toBeLessThan(25_000);

    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe("DEPLOYED");
    expect(await (await fetch(`${backends.urls.BLUE}/health`)).json()).toEqual({ colour: "blue", version: "orders-service 8.0.0" });
    const { statusCommand } = JSON.parse((await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: change.serviceId } })).driverConfig) as { statusCommand: string };
    const { stdout } = await run("/bin/sh", ["-c", statusCommand], { env: { ...process.env, OPS_SERVICE: "orders-service", OPS_ENVIRONMENT: "production" } });
    expect(stdout.trim()).toBe("blue");

    const pir = await pirSuggestions(change.id);
    expect(pir.serviceVerification).toMatch(/3\/3 consecutive health checks of blue .* passed/);
    expect(pir.serviceVerification).toContain("Live colour read back from the target afterwards: blue");
    expect(pir.performanceValidation).toMatch(/within thresholds\.$/);
  }, 60_000);
});
