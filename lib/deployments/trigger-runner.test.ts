import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timeline } from "../changes/detail.ts";
import { db } from "../db/client.ts";
import { steppedUp } from "./gates-testing.ts";
import { requestRollback } from "./rollback.ts";
import { runDeployment } from "./runner.ts";
import { approvedChange, commandTarget, createTestTarget, ctx, makeDeployCast, startColourServer, type ColourServer } from "./testing.ts";
import { triggerDeployment } from "./trigger.ts";

/*
 * What the trigger and a rollback request leave behind is what the runner expects: a triggered
 * deployment runs to SUCCEEDED with traffic on green, and a manual rollback request on it is
 * carried out by the runner back to blue. Real HTTP colour servers, real shell commands.
 */

let blue: ColourServer;
let green: ColourServer;

beforeAll(async () => {
  blue = await startColourServer("BLUE", 4231);
  green = await startColourServer("GREEN", 4232);
});

afterAll(async () => {
  await Promise.all([blue.close(), green.close()]);
});

describe("trigger and rollback with the runner", () => {
  it("runs a triggered deployment to SUCCEEDED, then carries out a manual rollback request back to blue", async () => {
    const cast = await makeDeployCast();
    const shell = commandTarget("blue");
    const { service } = await createTestTarget({ driverConfig: shell.driverConfig, blueUrl: blue.url, greenUrl: green.url, liveColour: null });
    const { change } = await approvedChange(service.id, { cast });

    const started = await triggerDeployment(steppedUp(cast.releaseManager), { changeId: change.id, idempotencyKey: "e2e-1" }, ctx);
    expect(await db.deployment.findUniqueOrThrow({ where: { id: started.id } })).toMatchObject({ fromColour: "BLUE", toColour: "GREEN" });
    expect(await runDeployment(started.id)).toEqual({ status: "SUCCEEDED" });
    expect(shell.live()).toBe("green");
    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe("DEPLOYED");
    expect(await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: service.id } })).toMatchObject({ liveColour: "GREEN", activeDeploymentId: null });

    const asked = await requestRollback(steppedUp(cast.releaseManager), { deploymentId: started.id, reason: "Customers report slow checkout" }, ctx);
    expect(asked.status).toBe("ROLLING_BACK");
    expect(await runDeployment(started.id)).toEqual({ status: "ROLLED_BACK" });
    expect(shell.live()).toBe("blue");
    const d = await db.deployment.findUniqueOrThrow({ where: { id: started.id }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(d.steps.at(-1)).toMatchObject({ kind: "ROLLBACK", status: "SUCCEEDED" });
    expect(await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: service.id } })).toMatchObject({ liveColour: "BLUE", activeDeploymentId: null });
  });

  it("tells the deployment's story on the change's timeline: started, live, succeeded, rollback asked and done", async () => {
    const cast = await makeDeployCast();
    const shell = commandTarget("blue");
    const { service } = await createTestTarget({ driverConfig: shell.driverConfig, blueUrl: blue.url, greenUrl: green.url, liveColour: null });
    const { change } = await approvedChange(service.id, { cast });
    const started = await triggerDeployment(steppedUp(cast.releaseManager), { changeId: change.id, idempotencyKey: "timeline-1" }, ctx);
    await runDeployment(started.id);
    await requestRollback(steppedUp(cast.releaseManager), { deploymentId: started.id, reason: "Checkout slower than before" }, ctx);
    await runDeployment(started.id);

    const items = await timeline(change.id);
    const told = items.filter((i) => i.action.startsWith("deployment.")).reverse().map((i) => `${i.actor} ${i.text}`);
    expect(told).toEqual([
      `${cast.releaseManager.name} started ${started.reference}: ${change.version} to green`,
      `Deployment runner moved traffic to green (${started.reference})`,
      `Deployment runner finished ${started.reference}: succeeded`,
      `${cast.releaseManager.name} asked to roll back ${started.reference}`,
      `Deployment runner rolled back ${started.reference}`,
    ]);
    expect(items.find((i) => i.action === "deployment.rollback_requested")?.detail).toBe("Checkout slower than before");
  });
});
