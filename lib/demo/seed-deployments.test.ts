import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it, vi } from "vitest";
import { verifyAuditChain } from "../audit/verify.ts";
import { db } from "../db/client.ts";
import type { DemoBackendConfig } from "./backends.ts";
import { seedDemo } from "./seed.ts";
import { DEMO_TARGET_SERVICES } from "./seed-deployments.ts";

// The whole demo seed writes 30 days of health history and business metrics: on a loaded CI
// machine with MariaDB that takes longer than the default 30 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const run = promisify(execFile);
const stateDir = mkdtempSync(path.join(tmpdir(), "demo-seed-"));
const backends: DemoBackendConfig = { ports: { BLUE: 4591, GREEN: 4592 }, stateDir };
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** The target's status command, run as the COMMAND driver runs it. */
async function statusOf(serviceName: string, environment = "PRODUCTION"): Promise<string> {
  const target = await db.deploymentTarget.findFirstOrThrow({ where: { service: { name: serviceName, environment: environment as "PRODUCTION" } } });
  const { statusCommand } = JSON.parse(target.driverConfig) as { statusCommand: string };
  const { stdout } = await run("/bin/sh", ["-c", statusCommand], { env: { ...process.env, OPS_SERVICE: serviceName, OPS_ENVIRONMENT: environment } });
  return stdout.trim();
}

describe("demo deployments", () => {
  it("gives every demo change's service a command target on the demo backends, makes the approved change deployable now and the closed one a recorded deployment", async () => {
    await seedDemo(db, backends);

    const targets = await db.deploymentTarget.findMany({ include: { service: { select: { name: true, environment: true } } } });
    expect(targets.map((t) => `${t.service.name}/${t.service.environment}`).sort()).toEqual(
      DEMO_TARGET_SERVICES.map((s) => `${s.name}/${s.environment}`).sort(),
    );
    for (const t of targets) {
      expect(t).toMatchObject({ driver: "COMMAND", blueUrl: "http://127.0.0.1:4591", greenUrl: "http://127.0.0.1:4592", healthPath: "/health", healthSuccesses: 3, validationWindowMs: 5000 });
      expect(Object.keys(JSON.parse(t.driverConfig)).sort()).toEqual(["deployCommand", "preflightCommand", "statusCommand", "switchCommand", "timeoutMs"]);
    }
    const changes = await db.changeRequest.findMany({ select: { serviceId: true } });
    expect(changes.every((c) => targets.some((t) => t.serviceId === c.serviceId))).toBe(true);

    const ready = await db.changeRequest.findFirstOrThrow({ where: { title: "Invoice PDF renderer 2.0" } });
    expect(ready.status).toBe("APPROVED");
    expect(ready.plannedStart.getTime()).toBeLessThan(Date.now());
    expect(ready.plannedEnd.getTime()).toBeGreaterThan(Date.now() + 3 * 24 * 3_600_000);
    expect(await statusOf("orders-service")).toBe("");

    const closed = await db.changeRequest.findFirstOrThrow({
      where: { title: "Raise payments DB connection pool to 50" },
      include: { deployments: { include: { steps: { orderBy: { position: "asc" } }, logs: true } } },
    });
    expect(closed.status).toBe("CLOSED");
    const [deployment] = closed.deployments;
    expect(deployment).toMatchObject({ number: 1, status: "SUCCEEDED", toColour: "BLUE", liveColour: "BLUE", version: "config r1842" });
    expect(deployment?.steps.map((s) => `${s.kind}:${s.status}`)).toEqual(
      ["PREFLIGHT", "DEPLOY", "HEALTH_CHECK", "SWITCH", "VALIDATE", "DONE"].map((k) => `${k}:SUCCEEDED`),
    );
    expect(deployment?.finishedAt?.getTime()).toBeLessThan(closed.plannedEnd.getTime());
    expect(deployment?.logs.length).toBeGreaterThan(5);
    expect(await db.counter.findUnique({ where: { name: "deployment" } })).toMatchObject({ value: 1 });
    // The demo target agrees with the database about what is live.
    expect(await statusOf("payments-api")).toBe("blue");
    expect(readFileSync(path.join(stateDir, "blue.version"), "utf8").trim()).toBe("config r1842");
    expect(await db.deploymentTarget.findFirst({ where: { service: { name: "payments-api", environment: "PRODUCTION" } } })).toMatchObject({ liveColour: "BLUE" });

    const events = await db.auditEvent.count();
    await seedDemo(db, backends);
    expect(await db.auditEvent.count()).toBe(events);
    expect(await db.deployment.count()).toBe(1);

    // A demo started on other ports points its targets at the backends it starts.
    await seedDemo(db, { ports: { BLUE: 4593, GREEN: 4594 }, stateDir });
    expect(await db.deploymentTarget.count({ where: { blueUrl: "http://127.0.0.1:4593", greenUrl: "http://127.0.0.1:4594" } })).toBe(targets.length);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });
});
