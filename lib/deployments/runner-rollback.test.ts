import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { auditOf } from "../testing/actors.ts";
import { runDeployment } from "./runner.ts";
import { readBack, stepRunning, startRunnerBench, waitFor } from "./runner-testing.ts";

/*
 * Rollbacks against real backends (see runner.test.ts): automatic after a failure once traffic
 * moved, requested during the run, and requested for a deployment that had succeeded.
 */

process.env.DEPLOY_LEASE_MS = "1500";

const bench = startRunnerBench({ blue: 4102, green: 4103 });
const { setup } = bench;

/** What rollback.ts does for a RUNNING deployment: it only records the request. */
async function requestRollbackDuringRun(id: string, userId: string, reason: string) {
  await db.deployment.update({ where: { id }, data: { rollbackRequestedAt: new Date(), rollbackRequestedById: userId, rollbackReason: reason } });
}

describe("automatic rollback after traffic moved", () => {
  it("rolls back a release whose error rate breaks the threshold during validation", async () => {
    bench.green.behave({ failAfter: 2 }); // passes the 2 health checks, then answers 500
    const { cmd, deployment } = await setup();

    expect(await runDeployment(deployment.id)).toEqual({ status: "ROLLED_BACK" });

    const r = await readBack(deployment.id);
    expect(r.steps).toEqual(["PREFLIGHT:SUCCEEDED", "DEPLOY:SUCCEEDED", "HEALTH_CHECK:SUCCEEDED", "SWITCH:SUCCEEDED", "VALIDATE:FAILED", "DONE:SKIPPED", "ROLLBACK:SUCCEEDED"]);
    expect(r.step("VALIDATE").summary).toMatch(/^Monitoring validation failed: Error rate 100% is over the 1% threshold\./);
    expect(r.detail("VALIDATE")).toMatchObject({ ok: false, errorRatePct: 100 });
    expect(cmd.live()).toBe("blue"); // read back from the target
    expect(cmd.calls().filter((c) => c.startsWith("switch")).map((c) => c.split(" ")[1])).toEqual(["green", "blue"]);
    expect(r.d.status).toBe("ROLLED_BACK");
    expect(r.d.liveColour).toBe("BLUE");
    expect(r.d.liveAt).not.toBeNull();
    expect(r.change.status).toBe("ROLLED_BACK");
    expect(r.target).toMatchObject({ liveColour: "BLUE", activeDeploymentId: null });
    const rollback = r.detail("ROLLBACK");
    expect(rollback).toMatchObject({ from: "GREEN", to: "BLUE", readBack: "BLUE", moved: true });
    expect(rollback.rollbackMs as number).toBeGreaterThan(0);
    expect(r.d.outcome).toMatch(/^Validation failed: Monitoring validation failed: .* Rolled back: traffic on BLUE \(read back\) in \d+\.\d s\.$/);
    const rolledBack = await auditOf("deployment.rolled_back", deployment.id);
    expect(rolledBack).toHaveLength(1);
    expect(rolledBack[0]!.changes).toMatchObject({ liveColour: "BLUE", rollbackMs: rollback.rollbackMs, changeStatus: { from: "DEPLOYING", to: "ROLLED_BACK" } });
    expect(await auditOf("deployment.live", deployment.id)).toHaveLength(1);
  });

  it("rolls back a release whose p95 latency breaks the threshold during validation", async () => {
    const { cmd, deployment } = await setup({ target: { maxP95LatencyMs: 80, validationIntervalMs: 20 } });
    const run = runDeployment(deployment.id);
    await waitFor("validation", stepRunning(deployment.id, "VALIDATE"));
    bench.green.behave({ delayMs: 150 });

    expect(await run).toEqual({ status: "ROLLED_BACK" });

    const r = await readBack(deployment.id);
    expect(r.step("VALIDATE").summary).toMatch(/p95 latency \d+(\.\d)? ms is over the 80 ms threshold/);
    expect(r.detail("VALIDATE").p95Ms as number).toBeGreaterThan(80);
    expect(cmd.live()).toBe("blue");
    expect(r.change.status).toBe("ROLLED_BACK");
  });

  it("ends FAILED, saying where traffic is, when the rollback itself fails", async () => {
    bench.green.behave({ failAfter: 2 });
    const { cmd, deployment } = await setup({
      commands: ({ live }) => ({
        switchCommand: `if [ "$OPS_COLOUR" = blue ]; then echo "blue pool is gone" >&2; exit 1; fi; printf '%s\\n' "$OPS_COLOUR" > ${live}`,
      }),
    });

    expect(await runDeployment(deployment.id)).toEqual({ status: "FAILED" });

    const r = await readBack(deployment.id);
    expect(r.step("ROLLBACK").status).toBe("FAILED");
    expect(r.step("ROLLBACK").summary).toBe("The switch command exited with code 1: blue pool is gone");
    expect(cmd.live()).toBe("green");
    expect(r.d.liveColour).toBe("GREEN");
    expect(r.d.outcome).toMatch(/Rolling back failed: The switch command exited with code 1: blue pool is gone; traffic on GREEN \(read back\)\.$/);
    expect(r.change.status).toBe("FAILED");
    expect(r.target).toMatchObject({ liveColour: "GREEN", activeDeploymentId: null });
    expect((await auditOf("deployment.failed", deployment.id))[0]!.changes).toMatchObject({ rollbackFailed: true, liveColour: "GREEN" });
  });
});

describe("rollbacks people ask for", () => {
  it("stops validation in flight when a rollback is requested and moves traffic back to blue", async () => {
    const { cmd, deployment, cast } = await setup({ target: { validationWindowMs: 20_000 } });
    const run = runDeployment(deployment.id);
    await waitFor("validation", stepRunning(deployment.id, "VALIDATE"));
    const asked = Date.now();
    await requestRollbackDuringRun(deployment.id, cast.releaseManager.id, "Checkout errors reported");

    expect(await run).toEqual({ status: "ROLLED_BACK" });
    expect(Date.now() - asked).toBeLessThan(5_000); // not the 20 s window

    const r = await readBack(deployment.id);
    expect(r.step("VALIDATE")).toMatchObject({ status: "FAILED", summary: "Stopped: Rollback requested by Reza Release: Checkout errors reported." });
    expect(r.steps.at(-1)).toBe("ROLLBACK:SUCCEEDED");
    expect(cmd.live()).toBe("blue");
    expect(r.d.outcome).toMatch(/^Rollback requested by Reza Release: Checkout errors reported\. Rolled back: traffic on BLUE \(read back\)/);
    expect(r.change.status).toBe("ROLLED_BACK");
    expect(await auditOf("deployment.rolled_back", deployment.id)).toHaveLength(1);
    const n = await db.notification.findMany({ where: { userId: cast.releaseManager.id, kind: "deployment.rolled_back" } });
    expect(n).toHaveLength(1);
  });

  it("honours a rollback requested before the switch: traffic never left blue", async () => {
    const { cmd, deployment, cast } = await setup({ commands: { deployCommand: "sleep 5" } });
    const run = runDeployment(deployment.id);
    await waitFor("deploy", stepRunning(deployment.id, "DEPLOY"));
    await requestRollbackDuringRun(deployment.id, cast.releaseManager.id, "");

    expect(await run).toEqual({ status: "ROLLED_BACK" });
    const r = await readBack(deployment.id);
    expect(r.steps).toEqual(["PREFLIGHT:SUCCEEDED", "DEPLOY:FAILED", "HEALTH_CHECK:SKIPPED", "SWITCH:SKIPPED", "VALIDATE:SKIPPED", "DONE:SKIPPED", "ROLLBACK:SUCCEEDED"]);
    expect(r.step("DEPLOY").summary).toBe("Stopped: Rollback requested by Reza Release.");
    expect(r.step("ROLLBACK").summary).toBe("Traffic never left BLUE (read back); nothing to move.");
    expect(cmd.calls().some((c) => c.startsWith("switch"))).toBe(false);
    expect(cmd.live()).toBe("blue");
  });

  it("rolls a succeeded deployment back on request: blue is live again and the change ROLLED_BACK", async () => {
    const { cmd, deployment, cast } = await setup();
    expect(await runDeployment(deployment.id)).toEqual({ status: "SUCCEEDED" });
    expect(cmd.live()).toBe("green");
    const finishedAt = (await db.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).finishedAt;

    // What rollback.ts does for a SUCCEEDED deployment.
    await db.$transaction([
      db.deployment.update({
        where: { id: deployment.id },
        data: { status: "ROLLING_BACK", rollbackRequestedAt: new Date(), rollbackRequestedById: cast.requester.id, rollbackReason: "Slow reports" },
      }),
      db.deploymentStep.create({ data: { deploymentId: deployment.id, position: 7, kind: "ROLLBACK" } }),
      db.deploymentTarget.update({ where: { serviceId: deployment.serviceId }, data: { activeDeploymentId: deployment.id } }),
    ]);
    expect(await runDeployment(deployment.id, { owner: "some-runner" })).toMatchObject({ left: "not_ours" }); // only the lease holder runs it
    await db.deployment.update({ where: { id: deployment.id }, data: { leaseOwner: "some-runner", leaseExpiresAt: new Date(Date.now() + 5_000) } });

    expect(await runDeployment(deployment.id, { owner: "some-runner" })).toEqual({ status: "ROLLED_BACK" });

    const r = await readBack(deployment.id);
    expect(r.steps.at(-1)).toBe("ROLLBACK:SUCCEEDED");
    expect(r.d.steps.at(-1)!.position).toBe(7);
    expect(cmd.live()).toBe("blue");
    expect(r.d).toMatchObject({ status: "ROLLED_BACK", liveColour: "BLUE", finishedAt });
    expect(r.change.status).toBe("ROLLED_BACK");
    expect(r.target).toMatchObject({ liveColour: "BLUE", activeDeploymentId: null });
    expect(r.detail("ROLLBACK")).toMatchObject({ from: "GREEN", to: "BLUE", moved: true });
    const events = await auditOf("deployment.rolled_back", deployment.id);
    expect(events[0]!.changes).toMatchObject({ manualRollback: true, changeStatus: { from: "DEPLOYED", to: "ROLLED_BACK" } });
  });

  it("leaves a CLOSED change closed when its deployment is rolled back later", async () => {
    const { cmd, deployment, changeId, cast } = await setup();
    expect(await runDeployment(deployment.id)).toEqual({ status: "SUCCEEDED" });
    await db.changeRequest.update({ where: { id: changeId }, data: { status: "CLOSED", closedAt: new Date() } });
    await db.$transaction([
      db.deployment.update({
        where: { id: deployment.id },
        data: { status: "ROLLING_BACK", rollbackRequestedAt: new Date(), rollbackRequestedById: cast.requester.id, leaseOwner: null },
      }),
      db.deploymentStep.create({ data: { deploymentId: deployment.id, position: 7, kind: "ROLLBACK" } }),
    ]);
    await db.deployment.update({ where: { id: deployment.id }, data: { leaseOwner: "r2", leaseExpiresAt: new Date(Date.now() + 5_000) } });
    expect(await runDeployment(deployment.id, { owner: "r2" })).toEqual({ status: "ROLLED_BACK" });
    expect(cmd.live()).toBe("blue");
    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: changeId } })).status).toBe("CLOSED");
  });
});
