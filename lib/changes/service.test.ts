import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { auditOf } from "../testing/actors.ts";
import { parseInput } from "../validation/parse.ts";
import { getChangeDetail, timeline } from "./detail.ts";
import { ZApproveChangeInput, ZCloseChangeInput, ZRejectChangeInput, ZUpdateChangeInput } from "./schemas.ts";
import {
  addComment,
  approveChange,
  cancelChange,
  closeChange,
  createChange,
  recordEvidence,
  recordRetrospective,
  rejectChange,
  reopenChange,
  scheduleChange,
  signUat,
  submitChange,
  updateChange,
  type ChangeActor,
} from "./service.ts";
import { createInput, ctx, hoursFromNow, makeCast, notificationsOf, submittedChange } from "./testing.ts";

type Cast = Awaited<ReturnType<typeof makeCast>>;
let cast: Cast;

beforeEach(async () => {
  cast = await makeCast();
});

const approve = (actor: ChangeActor, changeId: string, extra: Record<string, unknown> = {}) =>
  approveChange(actor, { changeId, comment: "", rollbackAcknowledged: true, ...extra }, ctx);

const pass = (actor: ChangeActor, changeId: string) => signUat(actor, { changeId, result: "PASSED", notes: "Looks right on staging." }, ctx);

async function statusOf(id: string) {
  return (await db.changeRequest.findUniqueOrThrow({ where: { id } })).status;
}

async function detail(actor: ChangeActor, number: number) {
  const d = await getChangeDetail(actor, number);
  if (!d) throw new Error("no detail");
  return d;
}

describe("creating and submitting", () => {
  it("numbers a new change from the counter, starts as a draft with the service's stakeholders, and audits it", async () => {
    const { requester, service, stake, stake2, rm } = cast;
    // rm is a standing service stakeholder too, but cannot sign UAT: not taken as a default.
    await db.serviceStakeholder.createMany({
      data: [stake, stake2, rm, requester].map((u) => ({ serviceId: service.id, userId: u.id })),
    });
    const first = await createChange(requester, createInput({ serviceId: service.id }), ctx);
    const second = await createChange(requester, createInput({ serviceId: service.id }), ctx);
    expect(second.number).toBe(first.number + 1);
    expect(first.reference).toMatch(/^CHG-\d{6}$/);
    expect(first.status).toBe("DRAFT");
    const row = await db.changeRequest.findUniqueOrThrow({ where: { id: first.id }, include: { stakeholders: true } });
    expect(row.stakeholders.map((s) => s.userId).sort()).toEqual([stake.id, stake2.id].sort());
    expect(row.contentDigest).toMatch(/^[0-9a-f]{64}$/);
    const [event] = await auditOf("change.created", first.id);
    expect(event).toMatchObject({ actorId: requester.id, targetType: "ChangeRequest", targetId: first.id });
    expect(event?.changes).toMatchObject({ change: first.reference, title: "Upgrade payments to 4.2", stakeholders: expect.arrayContaining(["Sam Stakeholder"]) });
  });

  it("refuses a standard change that is not low risk, and a window that ends before it starts", () => {
    const standard = parseInput(ZUpdateChangeInput, { changeId: "x", type: "STANDARD", risk: "HIGH" });
    expect(standard).toMatchObject({ ok: false, fieldErrors: { risk: expect.stringContaining("standard change must be low risk") } });
    const backwards = parseInput(ZUpdateChangeInput, { changeId: "x", plannedStart: "2030-01-02T10:00", plannedEnd: "2030-01-02T09:00" });
    expect(backwards).toMatchObject({ ok: false, fieldErrors: { plannedEnd: "The planned end must be after the planned start." } });
  });

  it("accepts form datetime-local values (with the browser's offset) as well as ISO strings", () => {
    const input = createInput({ serviceId: "s", plannedStart: "2030-05-01T10:00", plannedEnd: "2030-05-01T11:30", timezoneOffset: "-120" });
    expect(input.timezoneOffset).toBe(-120);
    const iso = createInput({ serviceId: "s", plannedStart: "2030-05-01T08:00:00.000Z", plannedEnd: "2030-05-01T09:00:00Z" });
    expect(iso.plannedStart).toBe("2030-05-01T08:00:00.000Z");
  });

  it("refuses to name the requester or someone who cannot sign off UAT as a stakeholder", async () => {
    const { requester, rm, service } = cast;
    await expect(createChange(requester, createInput({ serviceId: service.id, stakeholderIds: [requester.id] }), ctx)).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { stakeholderIds: expect.stringContaining("cannot name yourself") },
    });
    await expect(createChange(requester, createInput({ serviceId: service.id, stakeholderIds: rm.id }), ctx)).rejects.toMatchObject({
      message: expect.stringContaining("only Stakeholders and Administrators can be named stakeholders"),
    });
  });

  it("submits only with both plans and a window in the future, and tells approvers and stakeholders", async () => {
    const { requester, service, stake, rm, rm2, admin, viewer } = cast;
    const bare = await createChange(requester, createInput({ serviceId: service.id, rollbackPlan: "", plannedStart: hoursFromNow(-2), plannedEnd: hoursFromNow(-1) }), ctx);
    await expect(submitChange(requester, { changeId: bare.id }, ctx)).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { rollbackPlan: "Write the rollback plan before submitting.", plannedStart: expect.stringContaining("future") },
    });
    expect(await statusOf(bare.id)).toBe("DRAFT");

    const good = await createChange(requester, createInput({ serviceId: service.id, stakeholderIds: [stake.id] }), ctx);
    await expect(submitChange(rm, { changeId: good.id }, ctx)).rejects.toMatchObject({ code: "forbidden" });
    await submitChange(requester, { changeId: good.id }, ctx);
    expect(await statusOf(good.id)).toBe("SUBMITTED");
    for (const u of [rm, rm2, admin]) {
      expect((await notificationsOf(u.id)).map((n) => n.title)).toEqual([`${good.reference} needs your approval`]);
    }
    expect((await notificationsOf(stake.id)).map((n) => n.title)).toEqual([`${good.reference} needs your UAT sign-off and approval`]);
    expect((await notificationsOf(stake.id))[0]?.link).toBe(`/changes/${good.reference}`);
    expect(await notificationsOf(requester.id)).toEqual([]);
    expect(await notificationsOf(viewer.id)).toEqual([]);
    const [event] = await auditOf("change.submitted", good.id);
    expect(event?.changes.notified).toEqual(expect.arrayContaining(["Rita Release", "Sam Stakeholder"]));
  });
});

describe("approval policy", () => {
  it("refuses self-approval, even by a release manager or an administrator who raised the change", async () => {
    const { rm, admin, service } = cast;
    const byRm = await submittedChange(rm, service.id);
    await expect(approve(rm, byRm.id)).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("You raised this change") });
    const byAdmin = await submittedChange(admin, service.id);
    await expect(approve(admin, byAdmin.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(rejectChange(admin, { changeId: byAdmin.id, comment: "no" }, ctx)).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.changeApproval.count()).toBe(0);
  });

  it("approves a low-risk change with one approval, bound to its digest, and acknowledging the rollback plan", async () => {
    const { requester, rm, service } = cast;
    const c = await submittedChange(requester, service.id);
    expect(parseInput(ZApproveChangeInput, { changeId: c.id, comment: "" })).toMatchObject({
      ok: false,
      fieldErrors: { rollbackAcknowledged: expect.stringContaining("I have read the rollback plan") },
    });
    const result = await approve(rm, c.id, { comment: "Fine." });
    expect(result.status).toBe("APPROVED");
    const approval = await db.changeApproval.findFirstOrThrow({ where: { changeId: c.id } });
    const change = await db.changeRequest.findUniqueOrThrow({ where: { id: c.id } });
    expect(approval).toMatchObject({ decision: "APPROVED", rollbackAcknowledged: true, digest: change.contentDigest, staleAt: null });
    expect(JSON.parse(approval.snapshot)).toMatchObject({ rollbackPlan: "Switch traffic back to blue.", version: "4.2.0" });
    await expect(approve(rm, c.id)).rejects.toMatchObject({ message: expect.stringContaining("Only a submitted change") });
    expect((await notificationsOf(requester.id)).map((n) => n.title)).toContain(`${c.reference} is approved`);
  });

  it("needs 2 approvals for medium risk including each named stakeholder, and says what is missing", async () => {
    const { requester, rm, rm2, stake, service } = cast;
    const c = await submittedChange(requester, service.id, { risk: "MEDIUM", stakeholderIds: [stake.id] });
    let d = await detail(rm, c.number);
    expect(d.policy.missing).toEqual(["Sam Stakeholder's approval", "1 more approval"]);
    await approve(rm, c.id);
    d = await detail(rm, c.number);
    expect(d.policy).toMatchObject({ met: false, missing: ["Sam Stakeholder's approval"], summary: "Waiting for Sam Stakeholder's approval" });
    // Two release managers are not enough while the stakeholder has not approved.
    await approve(rm2, c.id);
    expect(await statusOf(c.id)).toBe("SUBMITTED");
    await pass(stake, c.id);
    await approve(stake, c.id);
    expect(await statusOf(c.id)).toBe("APPROVED");
  });

  it("needs a release manager among the 2 approvals of a high-risk change", async () => {
    const { requester, rm, stake, stake2, service } = cast;
    const c = await submittedChange(requester, service.id, { risk: "HIGH", stakeholderIds: [stake.id, stake2.id] });
    expect((await detail(rm, c.number)).policy.missing).toEqual(["Sam Stakeholder's approval", "Sue Stakeholder's approval", "a Release manager's approval"]);
    for (const s of [stake, stake2]) {
      await pass(s, c.id);
      await approve(s, c.id);
    }
    const d = await detail(rm, c.number);
    expect(d.policy).toMatchObject({ met: false, approved: 2, missing: ["a Release manager's approval"] });
    expect(d.change.status).toBe("SUBMITTED");
    await approve(rm, c.id);
    expect(await statusOf(c.id)).toBe("APPROVED");
  });

  it("makes a named stakeholder sign off UAT (passed) before approving", async () => {
    const { requester, stake, service } = cast;
    const c = await submittedChange(requester, service.id, { stakeholderIds: [stake.id] });
    await expect(approve(stake, c.id)).rejects.toMatchObject({ message: "As a named stakeholder, record a passed UAT sign-off before approving." });
    expect((await detail(stake, c.number)).allowed).toMatchObject({ canApprove: false, canSignUat: true, approveReason: expect.stringContaining("UAT") });
    await signUat(stake, { changeId: c.id, result: "FAILED", notes: "Refunds broken." }, ctx);
    await expect(approve(stake, c.id)).rejects.toMatchObject({ message: expect.stringContaining("passed UAT") });
    expect((await detail(stake, c.number)).checklist.items.find((i) => i.key === "UAT")).toMatchObject({ state: "failed" });
    await pass(stake, c.id);
    await approve(stake, c.id);
    expect(await statusOf(c.id)).toBe("APPROVED");
    const uat = await auditOf("change.uat_signed", c.id);
    expect(uat.map((e) => e.changes.result)).toEqual(["FAILED", "PASSED"]);
    expect((await notificationsOf(requester.id)).map((n) => n.title)).toContain(`Sam Stakeholder signed off UAT for ${c.reference}: failed`);
  });

  it("stops a stakeholder not named on the change from approving, rejecting or signing its UAT", async () => {
    const { requester, stake, outsider, service } = cast;
    const c = await submittedChange(requester, service.id, { stakeholderIds: [stake.id] });
    await expect(approve(outsider, c.id)).rejects.toMatchObject({ code: "forbidden", message: "Only the stakeholders named on this change can approve or reject it." });
    await expect(rejectChange(outsider, { changeId: c.id, comment: "no" }, ctx)).rejects.toMatchObject({ message: expect.stringContaining("named on this change") });
    await expect(pass(outsider, c.id)).rejects.toMatchObject({ code: "forbidden", message: "Only the stakeholders named on this change can sign off its UAT." });
    const d = await detail(outsider, c.number);
    expect(d.allowed).toMatchObject({ canApprove: false, canReject: false, canSignUat: false });
    expect(await db.changeApproval.count({ where: { changeId: c.id } })).toBe(0);
  });

  it("refuses a rejection without a comment; with one, the change is rejected at once and people are told", async () => {
    const { requester, rm, stake, service } = cast;
    const c = await submittedChange(requester, service.id, { risk: "MEDIUM", stakeholderIds: [stake.id] });
    expect(parseInput(ZRejectChangeInput, { changeId: c.id, comment: "  " })).toMatchObject({
      ok: false,
      fieldErrors: { comment: "Say why you are rejecting the change." },
    });
    await expect(rejectChange(rm, { changeId: c.id, comment: "" }, ctx)).rejects.toMatchObject({ code: "invalid_input" });
    await rejectChange(rm, { changeId: c.id, comment: "No load test yet." }, ctx);
    expect(await statusOf(c.id)).toBe("REJECTED");
    for (const u of [requester, stake]) {
      expect((await notificationsOf(u.id)).at(-1)).toMatchObject({ title: `${c.reference} was rejected by Rita Release`, body: expect.stringContaining("No load test yet.") });
    }
    const [event] = await auditOf("change.rejected", c.id);
    expect(event?.changes).toMatchObject({ comment: "No load test yet.", status: { from: "SUBMITTED", to: "REJECTED" } });

    // Reopen -> edit -> submit again: the old rejection no longer counts.
    await expect(updateChange(requester, { changeId: c.id, version: "4.2.1" }, ctx)).rejects.toMatchObject({ message: expect.stringContaining("reopen it first") });
    await reopenChange(requester, { changeId: c.id }, ctx);
    expect(await statusOf(c.id)).toBe("DRAFT");
    await updateChange(requester, { changeId: c.id, version: "4.2.1" }, ctx);
    await submitChange(requester, { changeId: c.id }, ctx);
    expect((await detail(rm, c.number)).approvals[0]).toMatchObject({ decision: "REJECTED", stale: true });
    expect((await detail(rm, c.number)).allowed.canApprove).toBe(true);
  });

  it("approves an emergency change with one release manager and flags it until a retrospective is recorded", async () => {
    const { requester, rm, rm2, stake, service } = cast;
    const c = await submittedChange(requester, service.id, { type: "EMERGENCY", risk: "HIGH", stakeholderIds: [stake.id] });
    expect((await detail(rm, c.number)).policy.missing).toEqual(["a Release manager's approval"]);
    await approve(rm, c.id);
    expect(await statusOf(c.id)).toBe("APPROVED");
    let d = await detail(rm, c.number);
    expect(d.flags.retrospectiveDue).toBe(true);
    expect(d.allowed.canReview).toBe(true);
    expect((await detail(requester, c.number)).allowed.canReview).toBe(false);
    await expect(recordRetrospective(requester, { changeId: c.id, notes: "x" }, ctx)).rejects.toMatchObject({ code: "forbidden" });
    await recordRetrospective(rm2, { changeId: c.id, notes: "Root cause understood; alerting added." }, ctx);
    d = await detail(rm, c.number);
    expect(d.flags.retrospectiveDue).toBe(false);
    expect(d.change.retrospective).toMatchObject({ by: "Rob Release", notes: "Root cause understood; alerting added." });
    await expect(recordRetrospective(rm, { changeId: c.id, notes: "again" }, ctx)).rejects.toMatchObject({ code: "conflict" });
    expect(await auditOf("change.retrospective_recorded", c.id)).toHaveLength(1);
  });

  it("does not count a stakeholder's approval for an emergency change as the release manager's", async () => {
    const { requester, stake, service } = cast;
    const c = await submittedChange(requester, service.id, { type: "EMERGENCY", risk: "LOW", stakeholderIds: [stake.id] });
    await pass(stake, c.id);
    await approve(stake, c.id);
    expect(await statusOf(c.id)).toBe("SUBMITTED");
  });
});

describe("approvals are bound to what was approved", () => {
  it("makes approvals stale when an approved change is edited, returns it to submitted, and names what changed", async () => {
    const { requester, rm, stake, service } = cast;
    const c = await submittedChange(requester, service.id, { risk: "MEDIUM", stakeholderIds: [stake.id] });
    await pass(stake, c.id);
    await approve(stake, c.id);
    await approve(rm, c.id);
    expect(await statusOf(c.id)).toBe("APPROVED");

    // A title edit does not touch what was approved.
    await updateChange(requester, { changeId: c.id, title: "Upgrade payments to 4.2 (card lib)" }, ctx);
    expect(await statusOf(c.id)).toBe("APPROVED");

    const result = await updateChange(
      requester,
      { changeId: c.id, rollbackPlan: "Switch back to blue, then restore the DB snapshot.", plannedStart: hoursFromNow(72), plannedEnd: hoursFromNow(73) },
      ctx,
    );
    expect(result).toMatchObject({ status: "SUBMITTED", returnedToSubmitted: true });
    expect(result.approvalsMadeStale.sort()).toEqual(["Rita Release", "Sam Stakeholder"]);
    const d = await detail(rm, c.number);
    expect(d.change.status).toBe("SUBMITTED");
    expect(d.approvals.every((a) => a.stale)).toBe(true);
    expect(d.approvals[0]?.changedSince).toEqual(["Rollback plan", "Planned start", "Planned end"]);
    expect(d.stakeholders[0]?.uat.state).toBe("STALE");
    expect(d.policy.missing).toEqual(["Sam Stakeholder's approval", "1 more approval"]);
    expect(d.allowed.canApprove).toBe(true);
    expect(d.checklist.items.find((i) => i.key === "ROLLBACK_PLAN")?.state).toBe("missing");

    for (const u of [rm, stake]) {
      expect((await notificationsOf(u.id)).map((n) => n.title)).toContain(`${c.reference} changed after your approval: approve it again`);
    }
    const [, edit] = await auditOf("change.updated", c.id);
    expect(edit?.changes).toMatchObject({
      contentChanged: ["Rollback plan", "Planned start", "Planned end"],
      status: { from: "APPROVED", to: "SUBMITTED" },
    });
    // The stakeholder signs off again and both approve again.
    await expect(approve(stake, c.id)).rejects.toMatchObject({ message: expect.stringContaining("UAT") });
    await pass(stake, c.id);
    await approve(stake, c.id);
    expect(await statusOf(c.id)).toBe("SUBMITTED");
    await approve(rm, c.id);
    expect(await statusOf(c.id)).toBe("APPROVED");
  });

  it("voids decisions when the type is switched after submission (no emergency shortcut past a freeze)", async () => {
    const { requester, rm, rm2, service } = cast;
    const c = await submittedChange(requester, service.id, { risk: "MEDIUM" });
    await approve(rm, c.id);
    await approve(rm2, c.id);
    expect(await statusOf(c.id)).toBe("APPROVED");
    const r = await updateChange(requester, { changeId: c.id, type: "EMERGENCY" }, ctx);
    expect(r).toMatchObject({ status: "SUBMITTED", returnedToSubmitted: true });
    const d = await detail(rm, c.number);
    expect(d.approvals.map((a) => [a.stale, a.changedSince])).toEqual([
      [true, ["Type"]],
      [true, ["Type"]],
    ]);
    expect(d.policy.missing).toEqual(["a Release manager's approval"]);
  });

  it("keeps named stakeholders on a submitted change unless an administrator removes them", async () => {
    const { requester, admin, stake, stake2, service } = cast;
    const c = await submittedChange(requester, service.id, { stakeholderIds: [stake.id] });
    await expect(updateChange(requester, { changeId: c.id, stakeholderIds: [stake2.id] }, ctx)).rejects.toMatchObject({
      fieldErrors: { stakeholderIds: expect.stringContaining("Sam Stakeholder must stay") },
    });
    // Adding is fine, and the newcomer is told.
    await updateChange(requester, { changeId: c.id, stakeholderIds: [stake.id, stake2.id] }, ctx);
    expect((await notificationsOf(stake2.id)).map((n) => n.title)).toEqual([`${c.reference} needs your UAT sign-off and approval`]);
    await updateChange(admin, { changeId: c.id, stakeholderIds: [stake2.id] }, ctx);
    expect((await detail(admin, c.number)).stakeholders.map((s) => s.name)).toEqual(["Sue Stakeholder"]);
  });

  it("refuses an approval for content the approver did not see", async () => {
    const { requester, rm, service } = cast;
    const c = await submittedChange(requester, service.id, { risk: "MEDIUM" });
    const seen = (await detail(rm, c.number)).change.contentDigest;
    await updateChange(requester, { changeId: c.id, implementationPlan: "Deploy 4.2 canary first." }, ctx);
    await expect(approve(rm, c.id, { digest: seen })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("edited after you opened it") });
  });

  it("makes approvals stale when new evidence arrives after approval, keeping the superseded evidence", async () => {
    const { requester, rm, service } = cast;
    const c = await submittedChange(requester, service.id);
    await recordEvidence(requester, { changeId: c.id, item: "SECURITY_SCAN", result: "PASSED", summary: "0 high", link: "https://ci.example/scan/1" }, ctx);
    await approve(rm, c.id);
    expect(await statusOf(c.id)).toBe("APPROVED");
    const r = await recordEvidence(requester, { changeId: c.id, item: "SECURITY_SCAN", result: "FAILED", summary: "1 critical", link: "https://ci.example/scan/2" }, ctx, "api:op_abc123");
    expect(r).toMatchObject({ status: "SUBMITTED", returnedToSubmitted: true, approvalsMadeStale: ["Rita Release"] });
    const d = await detail(rm, c.number);
    expect(d.approvals[0]?.changedSince).toEqual(["Security scan evidence"]);
    expect(d.evidence.current).toHaveLength(1);
    expect(d.evidence.current[0]).toMatchObject({ result: "FAILED", source: "api:op_abc123" });
    expect(d.evidence.history).toHaveLength(1);
    expect(d.evidence.history[0]).toMatchObject({ result: "PASSED", supersededAt: expect.any(Date) });
    expect(d.checklist.items.find((i) => i.key === "SECURITY_SCAN")).toMatchObject({ state: "failed" });
    const events = await auditOf("change.evidence_recorded", c.id);
    expect(events.at(-1)).toMatchObject({ actorLabel: `${requester.email} (api:op_abc123)` });
    expect(events.at(-1)?.changes).toMatchObject({ source: "api:op_abc123", supersedes: true, approvalsMadeStale: ["Rita Release"] });
  });

  it("completes the checklist with evidence, UAT and an acknowledged rollback plan", async () => {
    const { requester, rm, stake, service } = cast;
    const c = await submittedChange(requester, service.id, { stakeholderIds: [stake.id] });
    await recordEvidence(requester, { changeId: c.id, item: "SECURITY_SCAN", result: "PASSED", summary: "", link: "https://ci.example/scan" }, ctx);
    await recordEvidence(requester, { changeId: c.id, item: "PERFORMANCE_TEST", result: "PASSED", summary: "p95 180 ms", link: "https://ci.example/perf" }, ctx);
    await recordEvidence(
      requester,
      { changeId: c.id, item: "BACKUP_VERIFICATION", result: "PASSED", summary: "Restored to scratch", link: "https://backups.example/1", verifiedAt: hoursFromNow(-3) },
      ctx,
    );
    await pass(stake, c.id);
    expect((await detail(rm, c.number)).checklist.complete).toBe(false);
    await approve(stake, c.id);
    const d = await detail(rm, c.number);
    expect(d.checklist.items.map((i) => [i.key, i.state])).toEqual([
      ["SECURITY_SCAN", "complete"],
      ["PERFORMANCE_TEST", "complete"],
      ["UAT", "complete"],
      ["BACKUP_VERIFICATION", "complete"],
      ["ROLLBACK_PLAN", "complete"],
    ]);
    expect(d.checklist.complete).toBe(true);
    expect(d.change.status).toBe("APPROVED");
  });

  it("refuses evidence pointing at a file of another change", async () => {
    const { requester, service } = cast;
    const a = await submittedChange(requester, service.id);
    const b = await submittedChange(requester, service.id);
    const file = await db.evidenceFile.create({
      data: { changeId: b.id, fileName: "scan.pdf", contentType: "application/pdf", size: 10, sha256: "ab".repeat(32), storageKey: "k1", uploadedById: requester.id },
    });
    await expect(
      recordEvidence(requester, { changeId: a.id, item: "SECURITY_SCAN", result: "PASSED", summary: "", link: "", fileId: file.id }, ctx),
    ).rejects.toMatchObject({ fieldErrors: { fileId: expect.any(String) } });
    const ok = await recordEvidence(requester, { changeId: b.id, item: "SECURITY_SCAN", result: "PASSED", summary: "", link: "", fileId: file.id }, ctx);
    expect(ok.evidenceId).toBeTruthy();
  });
});

describe("scheduling", () => {
  async function approvedChange(overrides: Record<string, unknown> = {}) {
    const { requester, rm, service } = cast;
    const c = await submittedChange(requester, service.id, overrides);
    await approve(rm, c.id);
    return c;
  }

  it("refuses a window inside a freeze window; an emergency goes ahead only with an override reason", async () => {
    const { requester, rm, stake } = cast;
    await db.freezeWindow.create({
      data: { startsAt: new Date(hoursFromNow(24)), endsAt: new Date(hoursFromNow(96)), environment: "PRODUCTION", reason: "Black Friday", createdById: rm.id },
    });
    // Cancelled and other-environment freezes do not apply.
    await db.freezeWindow.create({
      data: { startsAt: new Date(hoursFromNow(100)), endsAt: new Date(hoursFromNow(110)), environment: "STAGING", reason: "staging freeze", createdById: rm.id },
    });
    const normal = await approvedChange();
    await expect(scheduleChange(requester, { changeId: normal.id, freezeOverrideReason: "please" }, ctx)).rejects.toMatchObject({
      message: expect.stringContaining("overlaps the freeze window “Black Friday”"),
    });
    expect(await statusOf(normal.id)).toBe("APPROVED");
    expect((await detail(requester, normal.number)).flags.freezeConflicts.map((f) => f.reason)).toEqual(["Black Friday"]);

    const emergency = await approvedChange({ type: "EMERGENCY", risk: "HIGH", stakeholderIds: [stake.id] });
    await expect(scheduleChange(requester, { changeId: emergency.id, freezeOverrideReason: "" }, ctx)).rejects.toMatchObject({
      fieldErrors: { freezeOverrideReason: expect.any(String) },
    });
    const scheduled = await scheduleChange(requester, { changeId: emergency.id, freezeOverrideReason: "Card fraud fix cannot wait." }, ctx);
    expect(scheduled).toMatchObject({ status: "SCHEDULED", freezeOverridden: true });
    const d = await detail(requester, emergency.number);
    expect(d.change.freezeOverrideReason).toBe("Card fraud fix cannot wait.");
    expect(d.flags.freezeOverridden).toBe(true);
    const [event] = await auditOf("change.scheduled", emergency.id);
    expect(event?.changes).toMatchObject({ freezeOverride: { reason: "Card fraud fix cannot wait." } });
    expect((await notificationsOf(stake.id)).map((n) => n.title)).toContain(`${emergency.reference} is scheduled for ${new Date(d.change.plannedStart).toISOString().slice(0, 16).replace("T", " ")} UTC`);

    // Outside the freeze, a normal change schedules fine; a cancelled freeze no longer counts.
    const later = await approvedChange({ plannedStart: hoursFromNow(120), plannedEnd: hoursFromNow(121) });
    expect((await scheduleChange(requester, { changeId: later.id, freezeOverrideReason: "" }, ctx)).status).toBe("SCHEDULED");
    await db.freezeWindow.updateMany({ data: { cancelledAt: new Date() } });
    expect((await scheduleChange(requester, { changeId: normal.id, freezeOverrideReason: "" }, ctx)).freezeOverridden).toBe(false);
  });

  it("refuses to schedule a change whose window has passed, or one that is not approved", async () => {
    const { requester, service } = cast;
    const c = await approvedChange();
    await db.changeRequest.update({ where: { id: c.id }, data: { plannedStart: new Date(hoursFromNow(-3)), plannedEnd: new Date(hoursFromNow(-2)) } });
    await expect(scheduleChange(requester, { changeId: c.id, freezeOverrideReason: "" }, ctx)).rejects.toMatchObject({
      message: expect.stringContaining("already passed"),
    });
    const draft = await createChange(requester, createInput({ serviceId: service.id }), ctx);
    await expect(scheduleChange(requester, { changeId: draft.id, freezeOverrideReason: "" }, ctx)).rejects.toMatchObject({
      code: "conflict",
      message: `${draft.reference} is a draft: only an approved change can be scheduled.`,
    });
  });

  it("sends a scheduled change back to submitted when its window is edited", async () => {
    const { requester } = cast;
    const c = await approvedChange();
    await scheduleChange(requester, { changeId: c.id, freezeOverrideReason: "" }, ctx);
    const r = await updateChange(requester, { changeId: c.id, plannedEnd: hoursFromNow(50) }, ctx);
    expect(r.status).toBe("SUBMITTED");
    const row = await db.changeRequest.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.scheduledAt).toBeNull();
  });
});

describe("the rest of the lifecycle", () => {
  it("cancels with a reason; refuses to cancel a closed change", async () => {
    const { requester, viewer, rm, service } = cast;
    const c = await submittedChange(requester, service.id);
    await expect(cancelChange(viewer, { changeId: c.id, reason: "x" }, ctx)).rejects.toMatchObject({ code: "forbidden" });
    await cancelChange(rm, { changeId: c.id, reason: "Superseded by CHG-9" }, ctx);
    expect(await statusOf(c.id)).toBe("CANCELLED");
    await expect(cancelChange(rm, { changeId: c.id, reason: "again" }, ctx)).rejects.toMatchObject({ code: "conflict" });
    expect((await auditOf("change.cancelled", c.id))[0]?.changes).toMatchObject({ reason: "Superseded by CHG-9" });
  });

  it("closes a deployed change only with all four parts of the post-implementation review", async () => {
    const { requester, rm, service } = cast;
    const c = await submittedChange(requester, service.id);
    expect(parseInput(ZCloseChangeInput, { changeId: c.id, serviceVerification: "ok", performanceValidation: "", securityConfirmation: "ok", documentationUpdate: "ok" })).toMatchObject({
      ok: false,
      fieldErrors: { performanceValidation: "Describe the performance validation." },
    });
    const pir = { changeId: c.id, serviceVerification: "Smoke tests green", performanceValidation: "p95 unchanged", securityConfirmation: "Scan clean", documentationUpdate: "Runbook updated" };
    await expect(closeChange(requester, pir, ctx)).rejects.toMatchObject({ message: expect.stringContaining("only a deployed, rolled back or failed change") });
    await approve(rm, c.id);
    await db.changeRequest.update({ where: { id: c.id }, data: { status: "DEPLOYED" } }); // set by the deployments issue
    await closeChange(requester, pir, ctx);
    const d = await detail(rm, c.number);
    expect(d.change.status).toBe("CLOSED");
    expect(d.change.pir).toMatchObject({ serviceVerification: "Smoke tests green", by: "Omar Operator" });
  });

  it("notifies people mentioned by their email's local part, and lists them in the audit event", async () => {
    const { requester, rm, stake, service } = cast;
    const c = await submittedChange(requester, service.id);
    const local = (email: string) => email.slice(0, email.indexOf("@"));
    const { notified } = await addComment(rm, { changeId: c.id, body: `@${local(stake.email)} can you check refunds? cc ops@example.com` }, ctx);
    expect(notified.sort()).toEqual(["Omar Operator", "Sam Stakeholder"]);
    expect((await notificationsOf(stake.id)).at(-1)).toMatchObject({ title: `Rita Release mentioned you on ${c.reference}` });
    const [event] = await auditOf("change.commented", c.id);
    expect(event?.changes).toMatchObject({ mentioned: ["Sam Stakeholder"] });
    const items = await timeline(c.id);
    expect(items[0]).toMatchObject({ kind: "comment", actor: "Rita Release", detail: expect.stringContaining("can you check refunds?"), notified: expect.arrayContaining(["Sam Stakeholder"]) });
  });

  it("writes an audit event for every step, all targeting the change, shown newest first on its timeline", async () => {
    const { requester, rm, rm2, stake, service } = cast;
    const c = await createChange(requester, createInput({ serviceId: service.id, type: "EMERGENCY", risk: "MEDIUM", stakeholderIds: [stake.id] }), ctx);
    await updateChange(requester, { changeId: c.id, description: "Urgent fix." }, ctx);
    await submitChange(requester, { changeId: c.id }, ctx);
    await recordEvidence(requester, { changeId: c.id, item: "SECURITY_SCAN", result: "PASSED", summary: "", link: "https://ci.example/s" }, ctx);
    await pass(stake, c.id);
    await approve(rm, c.id);
    await addComment(requester, { changeId: c.id, body: "Thanks" }, ctx);
    await scheduleChange(requester, { changeId: c.id, freezeOverrideReason: "" }, ctx);
    await recordRetrospective(rm2, { changeId: c.id, notes: "Fine" }, ctx);
    await db.changeRequest.update({ where: { id: c.id }, data: { status: "FAILED" } });
    await closeChange(requester, { changeId: c.id, serviceVerification: "a", performanceValidation: "b", securityConfirmation: "c", documentationUpdate: "d" }, ctx);

    const events = await db.auditEvent.findMany({ where: { targetId: c.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual([
      "change.created",
      "change.updated",
      "change.submitted",
      "change.evidence_recorded",
      "change.uat_signed",
      "change.approved",
      "change.commented",
      "change.scheduled",
      "change.retrospective_recorded",
      "change.closed",
    ]);
    expect(events.every((e) => e.targetType === "ChangeRequest")).toBe(true);
    const items = await timeline(c.id);
    expect(items.map((i) => i.text)).toEqual([
      "closed the change with its post-implementation review",
      "recorded the retrospective review",
      "scheduled the change",
      "commented",
      "approved the change; it is now approved",
      "signed off UAT: passed",
      "recorded security scan evidence: passed",
      "submitted the change for approval",
      "edited description",
      "raised the change",
    ]);
    expect(items[0]?.actor).toBe("Omar Operator");
  });

  it("refuses a conflicting edit made from a stale form", async () => {
    const { requester, service } = cast;
    const c = await createChange(requester, createInput({ serviceId: service.id }), ctx);
    await updateChange(requester, { changeId: c.id, revision: c.revision, title: "First" }, ctx);
    await expect(updateChange(requester, { changeId: c.id, revision: c.revision, title: "Second" }, ctx)).rejects.toMatchObject({
      code: "conflict",
      message: "Someone else changed this change a moment ago; reload and try again.",
    });
    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: c.id } })).title).toBe("First");
  });

  it("lets only the requester or an administrator edit, and only the roles allowed do anything", async () => {
    const { requester, rm, admin, viewer, service } = cast;
    const c = await createChange(requester, createInput({ serviceId: service.id }), ctx);
    await expect(updateChange(rm, { changeId: c.id, title: "Mine now" }, ctx)).rejects.toMatchObject({ code: "forbidden" });
    await updateChange(admin, { changeId: c.id, title: "Fixed typo" }, ctx);
    await expect(createChange(viewer, createInput({ serviceId: service.id }), ctx)).rejects.toMatchObject({ code: "forbidden" });
    await expect(getChangeDetail({ id: viewer.id, role: "VIEWER" }, c.number)).resolves.toMatchObject({
      allowed: { canEdit: false, canApprove: false, approveReason: null, canComment: false },
    });
    expect(await getChangeDetail(viewer, 999_999)).toBeNull();
  });
});
