import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { auditOf } from "../testing/actors.ts";
import { recoverDeployments } from "./recovery.ts";
import { commandTarget, createRunningDeployment, createTestTarget, startColourServer, type ColourServer, type TestTargetInput } from "./testing.ts";

// Each test starts one or two tsx processes (several seconds each on a busy machine).

/*
 * Crash safety with real processes: a runner process (scripts/deployment-runner.ts) runs the
 * deployment and is killed with SIGKILL mid-run (no chance to clean up). Its lease stops being
 * heartbeated; once it expires, recovery (here in the test process, or a restarted runner process
 * running the loop as server.ts does) takes the deployment over and finishes it with traffic on a
 * known-good colour, read back from the target.
 */

const LEASE_MS = "1000";
process.env.DEPLOY_LEASE_MS = LEASE_MS;

let blue: ColourServer;
let green: ColourServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  blue = await startColourServer("BLUE", 4120);
  green = await startColourServer("GREEN", 4121);
});
afterAll(async () => {
  await blue.close();
  await green.close();
});
beforeEach(() => {
  blue.behave({});
  green.behave({});
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

type Runner = { child: ChildProcess; event(name: string, timeoutMs?: number): Promise<Record<string, unknown>>; exited: Promise<void> };

function startRunner(mode: "run" | "loop", deploymentId: string): Runner {
  // `node --import tsx` (not the tsx CLI, which runs the script in a grandchild a SIGKILL would not reach).
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/deployment-runner.ts", mode, deploymentId], {
    env: { ...process.env, DEPLOY_LEASE_MS: LEASE_MS, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const events: Record<string, unknown>[] = [];
  let waiting: (() => void)[] = [];
  let buffer = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        events.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not ours
      }
      for (const w of waiting) w();
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    exited,
    event(name, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((e) => e.event === name);
          if (found) {
            waiting = waiting.filter((w) => w !== check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => reject(new Error(`runner: no "${name}" event within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`)), timeoutMs);
        waiting.push(check);
        check();
        void exited.then(() => setTimeout(check, 50));
      });
    },
  };
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function setup(target: TestTargetInput) {
  const cmd = commandTarget("blue");
  const { service } = await createTestTarget({ blueUrl: blue.url, greenUrl: green.url, driverConfig: cmd.driverConfig, ...target });
  // Nobody holds it yet: the runner process claims it.
  const { deployment, changeId } = await createRunningDeployment({ serviceId: service.id, leaseOwner: null });
  return { cmd, deployment, changeId };
}

async function killMidStep(runner: Runner, deploymentId: string, kind: "HEALTH_CHECK" | "VALIDATE") {
  const owner = (await runner.event("claimed")).owner as string;
  await waitFor(`${kind} to run`, () => db.deploymentStep.findFirst({ where: { deploymentId, kind, status: "RUNNING" } }));
  runner.child.kill("SIGKILL");
  await runner.exited;
  const left = await db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
  expect(left).toMatchObject({ status: "RUNNING", leaseOwner: owner }); // what a dead runner leaves behind
  return { owner, leaseExpiresAt: left.leaseExpiresAt! };
}

describe("a runner killed mid-deployment", () => {
  it("is recovered before the switch as FAILED, with traffic confirmed on blue and the recovery audited", async () => {
    green.behave({ delayMs: 250 }); // slow health checks: 40 needed, so the step is still running when the runner dies
    const { cmd, deployment, changeId } = await setup({ healthSuccesses: 40, healthIntervalMs: 50, healthTimeoutMs: 30_000 });
    const runner = startRunner("run", deployment.id);
    const { owner } = await killMidStep(runner, deployment.id, "HEALTH_CHECK");

    // Recovery takes nothing while the dead runner's lease is still valid...
    await waitFor("the lease to expire", async () => (await db.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).leaseExpiresAt! < new Date());
    // ...and takes it over once it expired.
    const results = await recoverDeployments();

    expect(results).toEqual([{ id: deployment.id, result: { status: "FAILED" } }]);
    const d = await db.deployment.findUniqueOrThrow({ where: { id: deployment.id }, include: { steps: { orderBy: { position: "asc" } }, logs: true } });
    expect(d.steps.map((s) => `${s.kind}:${s.status}`)).toEqual([
      "PREFLIGHT:SUCCEEDED",
      "DEPLOY:SUCCEEDED",
      "HEALTH_CHECK:FAILED",
      "SWITCH:SKIPPED",
      "VALIDATE:SKIPPED",
      "DONE:SKIPPED",
    ]);
    expect(d.steps[2]!.summary).toBe(`Interrupted: runner ${owner} stopped.`);
    expect(d.recoveredAt).toBeInstanceOf(Date);
    expect(d.liveColour).toBe("BLUE");
    expect(d.outcome).toMatch(new RegExp(`^Runner ${owner} stopped during Health check \\(lease expired at .* UTC\\)\\. GREEN never received traffic; traffic on BLUE \\(read back\\)\\.$`));
    expect(d.logs.some((l) => l.message.startsWith(`Runner ${owner} stopped during Health check (lease expired at`))).toBe(true);
    expect(cmd.live()).toBe("blue");
    expect(cmd.calls().some((c) => c.startsWith("switch"))).toBe(false);
    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: changeId } })).status).toBe("FAILED");
    expect(await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: deployment.serviceId } })).toMatchObject({ liveColour: "BLUE", activeDeploymentId: null });
    const recovered = await auditOf("deployment.recovered", deployment.id);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ actorLabel: "Deployment runner" });
    expect(recovered[0]!.changes).toMatchObject({ previousRunner: owner, interruptedStep: "HEALTH_CHECK", status: "RUNNING" });
    expect(await auditOf("deployment.failed", deployment.id)).toHaveLength(1);
  }, 90_000);

  it("is rolled back to blue by the restarted runner when it died after the switch", async () => {
    const { cmd, deployment, changeId } = await setup({ validationWindowMs: 60_000 });
    const runner = startRunner("run", deployment.id);
    const { owner } = await killMidStep(runner, deployment.id, "VALIDATE");
    expect(cmd.live()).toBe("green"); // traffic had moved when the runner died

    // The portal restarts: its loop recovers expired leases on start (and every few seconds).
    const restarted = startRunner("loop", deployment.id);
    const newOwner = (await restarted.event("started")).owner as string;
    expect(newOwner).not.toBe(owner);
    expect(await restarted.event("ended")).toMatchObject({ status: "ROLLED_BACK" });

    const d = await db.deployment.findUniqueOrThrow({ where: { id: deployment.id }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(d.steps.map((s) => `${s.kind}:${s.status}`)).toEqual([
      "PREFLIGHT:SUCCEEDED",
      "DEPLOY:SUCCEEDED",
      "HEALTH_CHECK:SUCCEEDED",
      "SWITCH:SUCCEEDED",
      "VALIDATE:FAILED",
      "DONE:SKIPPED",
      "ROLLBACK:SUCCEEDED",
    ]);
    expect(cmd.live()).toBe("blue");
    expect(cmd.calls().filter((c) => c.startsWith("switch")).map((c) => c.split(" ")[1])).toEqual(["green", "blue"]);
    expect(d).toMatchObject({ status: "ROLLED_BACK", liveColour: "BLUE", leaseOwner: null });
    expect(JSON.parse(d.steps[6]!.detail)).toMatchObject({ from: "GREEN", to: "BLUE", readBack: "BLUE", moved: true });
    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: changeId } })).status).toBe("ROLLED_BACK");
    const recovered = await auditOf("deployment.recovered", deployment.id);
    expect(recovered.map((e) => e.changes)).toEqual([expect.objectContaining({ previousRunner: owner, recoveredBy: newOwner, interruptedStep: "VALIDATE" })]);
    expect(await auditOf("deployment.rolled_back", deployment.id)).toHaveLength(1);
  }, 90_000);
});
