import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { auditOf } from "../testing/actors.ts";
import { kickDeployments, runnerId, startDeploymentLoop } from "./loop.ts";
import { claimDeployments, recoverDeployments } from "./recovery.ts";
import { commandTarget, createRunningDeployment, createTestTarget, startColourServer, type ColourServer } from "./testing.ts";

/*
 * The runner loop server.ts starts: it runs what kickDeployments() asks for in this process, claims
 * deployments with a compare-and-set, and on stop leaves a running deployment for recovery instead
 * of leaving it RUNNING under a lease nobody renews.
 */

process.env.DEPLOY_LEASE_MS = "1500";

let blue: ColourServer;
let green: ColourServer;

beforeAll(async () => {
  blue = await startColourServer("BLUE", 4104);
  green = await startColourServer("GREEN", 4105);
});
afterAll(async () => {
  await blue.close();
  await green.close();
});

async function setup(commands: Record<string, unknown> = {}, leaseOwner?: string | null) {
  const cmd = commandTarget("blue", commands);
  const { service } = await createTestTarget({ blueUrl: blue.url, greenUrl: green.url, driverConfig: cmd.driverConfig });
  const { deployment, changeId } = await createRunningDeployment({ serviceId: service.id, leaseOwner });
  return { cmd, deployment, changeId };
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const statusOf = async (id: string) => (await db.deployment.findUniqueOrThrow({ where: { id } })).status;

describe("the deployment loop", () => {
  it("does nothing on a kick when no loop runs in the process", async () => {
    const { deployment } = await setup();
    kickDeployments();
    await new Promise((r) => setTimeout(r, 300));
    expect(await db.deploymentStep.count({ where: { deploymentId: deployment.id, status: { not: "PENDING" } } })).toBe(0);
    // Leave nothing behind for the next tests' loops: finish it here.
    expect(await recoverDeployments({ now: new Date(Date.now() + 60_000) })).toEqual([{ id: deployment.id, result: { status: "SUCCEEDED" } }]);
  });

  it("runs a deployment kicked in this process to the end", async () => {
    const loop = startDeploymentLoop({ everyMs: 60_000 });
    try {
      const { cmd, deployment } = await setup();
      kickDeployments(); // what trigger.ts does after its transaction commits
      const ended = await waitFor("the deployment to end", async () => {
        const d = await db.deployment.findUniqueOrThrow({ where: { id: deployment.id } });
        return d.status !== "RUNNING" && d.status !== "ROLLING_BACK" && d;
      });
      expect({ status: ended.status, outcome: ended.outcome }).toEqual({ status: "SUCCEEDED", outcome: expect.any(String) });
      expect(cmd.live()).toBe("green");
    } finally {
      await loop.stop();
    }
  });

  it("on stop, lets the current step finish and leaves the deployment, lease released, for recovery", async () => {
    const { cmd, deployment, changeId } = await setup({ deployCommand: "sleep 1" });
    const loop = startDeploymentLoop({ everyMs: 60_000 });
    await waitFor("the deploy step", () => db.deploymentStep.findFirst({ where: { deploymentId: deployment.id, kind: "DEPLOY", status: "RUNNING" } }));
    const stopped = Date.now();
    await loop.stop(); // SIGTERM
    expect(Date.now() - stopped).toBeGreaterThan(300); // it waited for the step
    const left = await db.deployment.findUniqueOrThrow({ where: { id: deployment.id }, include: { steps: { orderBy: { position: "asc" } }, logs: true } });
    expect(left.status).toBe("RUNNING");
    expect(left.steps.map((s) => `${s.kind}:${s.status}`).slice(0, 3)).toEqual(["PREFLIGHT:SUCCEEDED", "DEPLOY:SUCCEEDED", "HEALTH_CHECK:PENDING"]);
    expect(left.leaseExpiresAt!.getTime()).toBeLessThanOrEqual(Date.now()); // released: the next runner takes it at once
    expect(left.logs.map((l) => l.message)).toContain("The portal is shutting down: the deployment is left for recovery by the next runner.");

    // The restarted portal recovers it: before the switch, so FAILED with traffic on blue.
    expect(await recoverDeployments()).toEqual([{ id: deployment.id, result: { status: "FAILED" } }]);
    expect(cmd.live()).toBe("blue");
    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: changeId } })).status).toBe("FAILED");
    expect(await auditOf("deployment.recovered", deployment.id)).toHaveLength(1);
  });

  it("on stop, stops a step still running when the grace is over, and recovery finishes the deployment", async () => {
    const { cmd, deployment } = await setup({ deployCommand: "sleep 30" });
    const loop = startDeploymentLoop({ everyMs: 60_000, graceMs: 300 });
    await waitFor("the deploy step", () => db.deploymentStep.findFirst({ where: { deploymentId: deployment.id, kind: "DEPLOY", status: "RUNNING" } }));
    const stopped = Date.now();
    await loop.stop();
    expect(Date.now() - stopped).toBeLessThan(5_000);
    const step = await db.deploymentStep.findFirstOrThrow({ where: { deploymentId: deployment.id, kind: "DEPLOY" } });
    expect(step).toMatchObject({ status: "FAILED", summary: "Interrupted: the portal shut down during this step." });
    expect(await statusOf(deployment.id)).toBe("RUNNING");

    expect(await recoverDeployments()).toEqual([{ id: deployment.id, result: { status: "FAILED" } }]);
    expect(cmd.live()).toBe("blue");
  });

  it("recovers on start a deployment whose runner's lease expired", async () => {
    const { cmd, deployment } = await setup({}, "dead-runner");
    await db.deployment.update({ where: { id: deployment.id }, data: { leaseExpiresAt: new Date(Date.now() - 1_000) } });
    const loop = startDeploymentLoop({ everyMs: 60_000 });
    try {
      await waitFor("recovery", async () => (await statusOf(deployment.id)) === "FAILED");
    } finally {
      await loop.stop();
    }
    const recovered = await auditOf("deployment.recovered", deployment.id);
    expect(recovered.map((e) => e.changes)).toEqual([expect.objectContaining({ previousRunner: "dead-runner", recoveredBy: runnerId(), interruptedStep: null })]);
    expect(cmd.live()).toBe("blue");
  });

  it("lets exactly one of two runners claim an expired lease", async () => {
    const { deployment } = await setup({}, "dead-runner");
    await db.deployment.update({ where: { id: deployment.id }, data: { leaseExpiresAt: new Date(Date.now() - 1_000) } });
    const [a, b] = await Promise.all([claimDeployments({ owner: "runner-a" }), claimDeployments({ owner: "runner-b" })]);
    expect([...a, ...b].map((c) => c.id)).toEqual([deployment.id]);
    const winner = a.length ? "runner-a" : "runner-b";
    expect(await db.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).toMatchObject({ leaseOwner: winner });
    // Leave nothing running for other files' eyes: the winner finishes it.
    expect(await recoverDeployments({ owner: winner, now: new Date(Date.now() + 60_000) })).toHaveLength(1);
  });
});
