import { beforeEach, describe, expect, it } from "vitest";
import { loadChange } from "../changes/store.ts";
import { ctx, makeCast, makeService, notificationsOf, submittedChange } from "../changes/testing.ts";
import { db } from "../db/client.ts";
import { auditOf } from "../testing/actors.ts";
import { evaluateGates, GateRefusal, gatesForChange } from "./gates.ts";
import { commandTarget, readyChange, steppedUp } from "./gates-testing.ts";
import { leaseMs, runnerId } from "./loop.ts";
import { triggerDeployment } from "./trigger.ts";

type Cast = Awaited<ReturnType<typeof makeCast>>;
let cast: Cast;

beforeEach(async () => {
  cast = await makeCast();
});

let keys = 0;
const key = () => `key-${++keys}-${Math.random().toString(36).slice(2, 8)}`;

/** The refusal a trigger throws (fails the test when it did not refuse). */
async function refusal(p: Promise<unknown>): Promise<GateRefusal> {
  try {
    await p;
  } catch (err) {
    if (err instanceof GateRefusal) return err;
    throw err;
  }
  throw new Error("the trigger was not refused");
}

async function freezeNow(environment: "PRODUCTION" | "STAGING", reason = "Black Friday") {
  await db.freezeWindow.create({
    data: { startsAt: new Date(Date.now() - 3_600_000), endsAt: new Date(Date.now() + 3_600_000), environment, reason, createdById: cast.rm.id },
  });
}

describe("deployment gates", () => {
  it("lists every gate, passed or not, with a label and a detail for people", async () => {
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    await commandTarget(cast.service.id);
    const gates = await evaluateGates(db, { change: await loadChange(db, c.id), user: cast.rm, now: new Date(), hasFreshStepUp: true });
    expect(gates.map((g) => [g.id, g.ok])).toEqual([
      ["permission", true],
      ["step_up", true],
      ["target", true],
      ["status", true],
      ["checklist", true],
      ["window", true],
      ["freeze", true],
      ["service_busy", true],
    ]);
    expect(gates.find((g) => g.id === "window")).toMatchObject({ label: "Change window", detail: expect.stringMatching(/^open until \d{1,2} [A-Z][a-z]{2}( \d{4})? \d{2}:\d{2} UTC\.$/) });
  });

  it("lists the gates for a signed-in user on the change page, step-up unmet until they confirm", async () => {
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    const user = { ...cast.rm, sessionId: "s1", stepUpAt: null };
    const before = await gatesForChange(user, c.id);
    expect(before.filter((g) => !g.ok).map((g) => g.id)).toEqual(["step_up", "target"]);
    expect(before.find((g) => g.id === "target")?.detail).toBe(`${cast.service.name} has no deployment target; an administrator sets one on the service page.`);
    await commandTarget(cast.service.id);
    const after = await gatesForChange({ ...user, stepUpAt: new Date() }, c.id);
    expect(after.every((g) => g.ok)).toBe(true);
  });

  it("refuses a change that is not approved, naming the status gate", async () => {
    const c = await submittedChange(cast.requester, cast.service.id);
    await commandTarget(cast.service.id);
    const err = await refusal(triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: key() }, ctx));
    expect(err).toMatchObject({ gate: "status", code: "conflict" });
    expect(err.message).toMatch(/^Change status: CHG-\d{6} is submitted; only an approved or scheduled change can be deployed\.$/);
  });

  it("refuses while the checklist is incomplete, naming what is missing", async () => {
    await commandTarget(cast.service.id);
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    await db.changeEvidence.updateMany({ where: { changeId: c.id, item: "PERFORMANCE_TEST" }, data: { supersededAt: new Date() } });
    const err = await refusal(triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: key() }, ctx));
    expect(err.gate).toBe("checklist");
    expect(err.message).toBe("Checklist: incomplete: Performance test results (missing).");
  });

  it("refuses before the change window opens and after it closed", async () => {
    await commandTarget(cast.service.id);
    const early = await readyChange(cast.requester, cast.rm, cast.service.id, {}, [2, 3]);
    const e1 = await refusal(triggerDeployment(steppedUp(cast.rm), { changeId: early.id, idempotencyKey: key() }, ctx));
    expect(e1.gate).toBe("window");
    expect(e1.message).toMatch(/^Change window: opens \d{1,2} [A-Z][a-z]{2}( \d{4})? \d{2}:\d{2} UTC/);
    const late = await readyChange(cast.requester, cast.rm, cast.service.id, {}, [-3, -2]);
    const e2 = await refusal(triggerDeployment(steppedUp(cast.rm), { changeId: late.id, idempotencyKey: key() }, ctx));
    expect(e2.gate).toBe("window");
    expect(e2.message).toMatch(/^Change window: closed /);
  });

  it("refuses a normal change during a freeze, even with an override reason", async () => {
    const service = await makeService(undefined, "STAGING");
    await commandTarget(service.id);
    const c = await readyChange(cast.requester, cast.rm, service.id);
    await freezeNow("STAGING", "Year-end freeze");
    const err = await refusal(triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: key(), overrideReason: "Please" }, ctx));
    expect(err.gate).toBe("freeze");
    expect(err.message).toMatch(/^Freeze windows: the freeze “Year-end freeze” \(.+\) is in force; only an emergency change may override it\.$/);
  });

  it("lets an emergency change deploy during a freeze only with an override reason, and keeps the reason", async () => {
    const service = await makeService(undefined, "STAGING");
    await commandTarget(service.id);
    const c = await readyChange(cast.requester, cast.rm, service.id, { type: "EMERGENCY", risk: "HIGH" });
    await freezeNow("STAGING", "Change freeze");
    const err = await refusal(triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: key() }, ctx));
    expect(err.gate).toBe("freeze");
    expect(err.message).toContain("give an override reason to deploy this emergency change anyway");

    const ok = await triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: key(), overrideReason: "Actively exploited CVE" }, ctx);
    expect(ok.created).toBe(true);
    const change = await db.changeRequest.findUniqueOrThrow({ where: { id: c.id } });
    expect(change).toMatchObject({ status: "DEPLOYING", freezeOverrideReason: "Actively exploited CVE" });
    const [event] = await auditOf("deployment.triggered", ok.id);
    expect(event?.changes.freezeOverride).toContain("Actively exploited CVE");
  });

  it("counts the override reason an emergency change was scheduled with", async () => {
    const service = await makeService(undefined, "STAGING");
    await commandTarget(service.id);
    const c = await readyChange(cast.requester, cast.rm, service.id, { type: "EMERGENCY", risk: "HIGH" });
    await db.changeRequest.update({ where: { id: c.id }, data: { status: "SCHEDULED", scheduledAt: new Date(), freezeOverrideReason: "Payment outage fix" } });
    await freezeNow("STAGING", "Quarter close");
    const gates = await evaluateGates(db, { change: await loadChange(db, c.id), user: cast.rm, now: new Date(), hasFreshStepUp: true });
    expect(gates.find((g) => g.id === "freeze")).toMatchObject({ ok: true, detail: expect.stringMatching(/overridden for this emergency change: Payment outage fix$/) });
    expect((await triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: key() }, ctx)).created).toBe(true);
  });

  it("refuses when another deployment of the service is running, naming it", async () => {
    await commandTarget(cast.service.id);
    const a = await readyChange(cast.requester, cast.rm, cast.service.id);
    const b = await readyChange(cast.requester, cast.rm, cast.service.id);
    const first = await triggerDeployment(steppedUp(cast.rm), { changeId: a.id, idempotencyKey: key() }, ctx);
    const err = await refusal(triggerDeployment(steppedUp(cast.rm), { changeId: b.id, idempotencyKey: key() }, ctx));
    expect(err.gate).toBe("service_busy");
    expect(err.message).toBe(`Service free: another deployment of ${cast.service.name} (${first.reference}) is running.`);
  });

  it("refuses a service without a deployment target", async () => {
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    const err = await refusal(triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: key() }, ctx));
    expect(err.gate).toBe("target");
    expect(err.message).toBe(`Deployment target: ${cast.service.name} has no deployment target; an administrator sets one on the service page.`);
  });

  it("refuses a signed-in user without a fresh step-up, and lets an API token through without one", async () => {
    await commandTarget(cast.service.id);
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    const stale = { ...cast.rm, stepUpAt: new Date(Date.now() - 24 * 3_600_000) };
    const err = await refusal(triggerDeployment(stale, { changeId: c.id, idempotencyKey: key() }, ctx));
    expect(err).toMatchObject({ gate: "step_up", code: "step_up_required" });
    expect(err.message).toBe("Step-up: confirm it is you with a current code from your authenticator app.");
    const viaApi = await triggerDeployment(cast.rm, { changeId: c.id, idempotencyKey: key() }, ctx, "api:op_abc123");
    expect(viaApi.created).toBe(true);
  });

  it("refuses a viewer, naming the permission gate", async () => {
    await commandTarget(cast.service.id);
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    const err = await refusal(triggerDeployment(steppedUp(cast.viewer), { changeId: c.id, idempotencyKey: key() }, ctx));
    expect(err).toMatchObject({ gate: "permission", code: "forbidden" });
    expect(err.message).toMatch(/^Permission: your role \(Viewer\) cannot deploy/);
    expect(await db.deployment.count({ where: { changeId: c.id } })).toBe(0);
  });
});

describe("triggerDeployment", () => {
  it("starts one deployment: change DEPLOYING, service taken, six pending steps, lease held by this runner, audited, people told", async () => {
    const c = await readyChange(cast.requester, cast.rm, cast.service.id, { stakeholderIds: [] });
    const { contentDigest } = await db.changeRequest.findUniqueOrThrow({ where: { id: c.id } });
    await db.changeStakeholder.create({ data: { changeId: c.id, userId: cast.stake.id, uatResult: "PASSED", uatDigest: contentDigest, uatAt: new Date() } });
    await commandTarget(cast.service.id, "GREEN");
    const before = Date.now();
    const r = await triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: key() }, ctx);
    expect(r).toMatchObject({ created: true, reference: expect.stringMatching(/^DEP-\d{6}$/) });

    const d = await db.deployment.findUniqueOrThrow({ where: { id: r.id }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(d).toMatchObject({ status: "RUNNING", fromColour: "GREEN", toColour: "BLUE", version: "4.2.0", triggeredById: cast.rm.id, source: "ui", leaseOwner: runnerId() });
    expect(d.leaseExpiresAt!.getTime()).toBeGreaterThanOrEqual(before + leaseMs() - 50);
    expect(d.steps.map((s) => [s.kind, s.status])).toEqual([
      ["PREFLIGHT", "PENDING"],
      ["DEPLOY", "PENDING"],
      ["HEALTH_CHECK", "PENDING"],
      ["SWITCH", "PENDING"],
      ["VALIDATE", "PENDING"],
      ["DONE", "PENDING"],
    ]);
    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("DEPLOYING");
    const target = await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: cast.service.id } });
    expect(target).toMatchObject({ activeDeploymentId: d.id, liveColour: "GREEN", liveCheckedAt: expect.any(Date) });

    const [event] = await auditOf("deployment.triggered", d.id);
    expect(event).toMatchObject({ actorId: cast.rm.id, targetType: "Deployment" });
    expect(event?.changes).toMatchObject({
      deployment: r.reference,
      change: c.reference,
      changeStatus: { from: "APPROVED", to: "DEPLOYING" },
      fromColour: "GREEN",
      toColour: "BLUE",
      notified: expect.arrayContaining(["Omar Operator", "Sam Stakeholder"]),
    });
    for (const userId of [cast.requester.id, cast.stake.id]) {
      expect((await notificationsOf(userId)).at(-1)).toMatchObject({ kind: "deployment.started", link: `/deployments/${r.reference}` });
    }
  });

  it("deploys to blue when the target has nothing live yet", async () => {
    await commandTarget(cast.service.id, null);
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    const r = await triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: key() }, ctx);
    expect(await db.deployment.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ fromColour: null, toColour: "BLUE" });
  });

  it("reads the live colour back from the target instead of trusting the database", async () => {
    const { setLive } = await commandTarget(cast.service.id, "BLUE");
    await db.deploymentTarget.update({ where: { serviceId: cast.service.id }, data: { liveColour: "BLUE" } });
    await setLive("GREEN"); // someone switched traffic outside the portal
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    const r = await triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: key() }, ctx);
    expect(await db.deployment.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ fromColour: "GREEN", toColour: "BLUE" });
  });

  it("returns the same deployment for the same idempotency key, also when both arrive at once", async () => {
    await commandTarget(cast.service.id);
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    const k = key();
    const [a, b] = await Promise.all([
      triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: k }, ctx),
      triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: k }, ctx),
    ]);
    expect(a.id).toBe(b.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const again = await triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: k }, ctx);
    expect(again).toEqual({ ...a, created: false });
    expect(await db.deployment.count({ where: { changeId: c.id } })).toBe(1);
    expect(await auditOf("deployment.triggered", a.id)).toHaveLength(1);
  });

  it("starts exactly one of two changes triggered at once on the same service", async () => {
    await commandTarget(cast.service.id);
    const a = await readyChange(cast.requester, cast.rm, cast.service.id);
    const b = await readyChange(cast.requester, cast.rm, cast.service.id);
    const results = await Promise.allSettled([
      triggerDeployment(steppedUp(cast.rm), { changeId: a.id, idempotencyKey: key() }, ctx),
      triggerDeployment(steppedUp(cast.rm2), { changeId: b.id, idempotencyKey: key() }, ctx),
    ]);
    const started = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.reason).toBeInstanceOf(GateRefusal);
    expect(refused[0]?.reason).toMatchObject({ gate: "service_busy" });
    expect(await db.deployment.count({ where: { serviceId: cast.service.id } })).toBe(1);
    const statuses = (await db.changeRequest.findMany({ where: { id: { in: [a.id, b.id] } }, select: { status: true } })).map((x) => x.status).sort();
    expect(statuses).toEqual(["APPROVED", "DEPLOYING"]);
  });

  it("refuses when the live colour cannot be read back, naming the target gate", async () => {
    const { statusFile } = await commandTarget(cast.service.id);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(statusFile, "purple");
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    const err = await refusal(triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: key() }, ctx));
    expect(err.gate).toBe("target");
    expect(err.message).toMatch(/^Deployment target: Could not read which colour of .+ is live/);
    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("APPROVED");
  });
});
