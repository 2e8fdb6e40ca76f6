import { beforeEach, describe, expect, it } from "vitest";
import { ctx, makeCast, notificationsOf } from "../changes/testing.ts";
import { db, type Colour } from "../db/client.ts";
import { auditOf } from "../testing/actors.ts";
import { commandTarget, readyChange, steppedUp } from "./gates-testing.ts";
import { requestRollback } from "./rollback.ts";
import { triggerDeployment } from "./trigger.ts";

type Cast = Awaited<ReturnType<typeof makeCast>>;
let cast: Cast;
let setLive: (c: Colour | null) => Promise<void>;

beforeEach(async () => {
  cast = await makeCast();
  ({ setLive } = await commandTarget(cast.service.id, "BLUE"));
});

async function started() {
  const c = await readyChange(cast.requester, cast.rm, cast.service.id);
  return triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: `k-${c.id}` }, ctx);
}

/** What the runner's finish does for a good release (the runner itself is tested with the engine). */
async function succeeded() {
  const r = await started();
  const d = await db.deployment.update({ where: { id: r.id }, data: { status: "SUCCEEDED", liveColour: "GREEN", finishedAt: new Date(), leaseOwner: null } });
  await db.deploymentTarget.update({ where: { serviceId: cast.service.id }, data: { activeDeploymentId: null, liveColour: "GREEN" } });
  await db.changeRequest.update({ where: { id: d.changeId }, data: { status: "DEPLOYED" } });
  await setLive("GREEN");
  return r;
}

const ask = (deploymentId: string, reason = "Error rate up since the switch") =>
  requestRollback(steppedUp(cast.rm), { deploymentId, reason }, ctx);

describe("requestRollback", () => {
  it("marks a running deployment for the runner to abort and roll back, once", async () => {
    const r = await started();
    const first = await ask(r.id);
    expect(first).toMatchObject({ status: "RUNNING", alreadyRequested: false, reference: r.reference });
    const d = await db.deployment.findUniqueOrThrow({ where: { id: r.id } });
    expect(d).toMatchObject({ status: "RUNNING", rollbackRequestedById: cast.rm.id, rollbackReason: "Error rate up since the switch", rollbackRequestedAt: expect.any(Date) });
    expect(await ask(r.id, "again")).toMatchObject({ alreadyRequested: true });
    const events = await auditOf("deployment.rollback_requested", r.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.changes).toMatchObject({ deployment: r.reference, reason: "Error rate up since the switch", status: { from: "RUNNING", to: "RUNNING" }, backTo: "BLUE" });
  });

  it("rolls back a succeeded deployment that is the latest and still live: ROLLING_BACK, a ROLLBACK step, the service taken", async () => {
    const r = await succeeded();
    const res = await ask(r.id);
    expect(res).toMatchObject({ status: "ROLLING_BACK", alreadyRequested: false });
    const d = await db.deployment.findUniqueOrThrow({ where: { id: r.id }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(d.status).toBe("ROLLING_BACK");
    expect(d.steps.at(-1)).toMatchObject({ kind: "ROLLBACK", status: "PENDING", position: 7 });
    expect(await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: cast.service.id } })).toMatchObject({ activeDeploymentId: r.id });
    const [event] = await auditOf("deployment.rollback_requested", r.id);
    expect(event?.changes).toMatchObject({ status: { from: "SUCCEEDED", to: "ROLLING_BACK" }, backTo: "BLUE" });
    expect((await notificationsOf(cast.requester.id)).at(-1)).toMatchObject({ kind: "deployment.rollback_requested" });
    expect(await ask(r.id)).toMatchObject({ alreadyRequested: true });
  });

  it("refuses to roll back a succeeded deployment whose colour no longer takes traffic", async () => {
    const r = await succeeded();
    await setLive("BLUE"); // traffic moved back outside the portal
    await expect(ask(r.id)).rejects.toThrow(/is on blue now, not on green where DEP-\d{6} went live: there is nothing of DEP-\d{6} to roll back\./);
    expect((await db.deployment.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("SUCCEEDED");
  });

  it("refuses to roll back a deployment that is not the service's latest", async () => {
    const older = await succeeded();
    const newer = await succeeded();
    await expect(ask(older.id)).rejects.toThrow(`is not the latest deployment of ${cast.service.name} (${newer.reference} is)`);
  });

  it("refuses a finished deployment that failed or was rolled back, and a role without the permission", async () => {
    const r = await started();
    await db.deployment.update({ where: { id: r.id }, data: { status: "FAILED" } });
    await expect(ask(r.id)).rejects.toThrow(`${r.reference} failed: there is nothing to roll back.`);
    await expect(requestRollback(steppedUp(cast.viewer), { deploymentId: r.id, reason: "x" }, ctx)).rejects.toMatchObject({ code: "forbidden" });
    await expect(requestRollback(steppedUp(cast.rm), { deploymentId: r.id, reason: " " }, ctx)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(requestRollback({ ...cast.rm, stepUpAt: null }, { deploymentId: r.id, reason: "x" }, ctx)).rejects.toMatchObject({ code: "step_up_required" });
  });
});
