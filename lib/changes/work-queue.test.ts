import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import {
  approveChange,
  createChange,
  recordRetrospective,
  rejectChange,
  scheduleChange,
  signUat,
  updateChange,
  type ChangeActor,
} from "./service.ts";
import { createInput, ctx, hoursFromNow, makeCast, submittedChange } from "./testing.ts";
import { workQueue, type WaitingKind } from "./work-queue.ts";

type Cast = Awaited<ReturnType<typeof makeCast>>;
let cast: Cast;

beforeEach(async () => {
  // One database per test file: start each test with no changes or freezes from the ones before.
  await db.changeRequest.deleteMany();
  await db.freezeWindow.deleteMany();
  cast = await makeCast();
});

const approve = (actor: ChangeActor, changeId: string) => approveChange(actor, { changeId, comment: "", rollbackAcknowledged: true }, ctx);

/** What the person's queue holds, as [kind, change id] pairs. */
async function waitingOf(actor: ChangeActor): Promise<[WaitingKind, string][]> {
  return (await workQueue(actor)).waiting.map((w) => [w.kind, w.id]);
}

describe("waiting on a decision or UAT", () => {
  it("shows a named stakeholder the change awaiting their UAT, then their approval, then nothing", async () => {
    const { requester, rm, stake, service } = cast;
    const c = await submittedChange(requester, service.id, { risk: "MEDIUM", stakeholderIds: [stake.id] });

    let q = await workQueue(stake);
    expect(q.waiting).toHaveLength(1);
    expect(q.waiting[0]).toMatchObject({ kind: "uat", id: c.id, reason: "Your UAT sign-off", href: `/changes/${c.reference}`, reference: c.reference });
    expect(q.counts).toMatchObject({ uat: 1, decision: 0 });

    await signUat(stake, { changeId: c.id, result: "PASSED", notes: "Fine on staging." }, ctx);
    await approve(rm, c.id);
    q = await workQueue(stake);
    expect(q.waiting.map((w) => [w.kind, w.id])).toEqual([["decision", c.id]]);
    expect(q.waiting[0]!.reason).toBe("Your approval (medium risk, 1 of 2)");
    expect(q.waiting[0]!.detail).toBe("Waiting for Sam Stakeholder's approval");

    await approve(stake, c.id);
    expect(await waitingOf(stake)).toEqual([]);
  });

  it("asks a stakeholder to sign off again when the change was edited after their sign-off", async () => {
    const { requester, stake, service } = cast;
    const c = await submittedChange(requester, service.id, { stakeholderIds: [stake.id] });
    await signUat(stake, { changeId: c.id, result: "FAILED", notes: "Totals are off by one cent." }, ctx);
    // A failed sign-off is their answer: the requester has to act, not them.
    expect(await waitingOf(stake)).toEqual([]);

    const row = await db.changeRequest.findUniqueOrThrow({ where: { id: c.id } });
    await updateChange(requester, { changeId: c.id, revision: row.revision, implementationPlan: "Deploy 4.2.1 blue-green (rounding fixed)." }, ctx);
    const q = await workQueue(stake);
    expect(q.waiting).toMatchObject([{ kind: "uat", id: c.id, reason: "Your UAT sign-off, again" }]);
  });

  it("never shows a requester their own change as awaiting their decision, while another release manager sees it", async () => {
    const { rm, rm2, service } = cast;
    const c = await submittedChange(rm, service.id, { risk: "HIGH" });
    expect(await waitingOf(rm)).toEqual([]);
    const q = await workQueue(rm2);
    expect(q.waiting).toMatchObject([{ kind: "decision", id: c.id, reason: "Your approval (high risk, 0 of 2)" }]);
  });

  it("shows a stakeholder-role user only the changes they are named on", async () => {
    const { requester, stake, outsider, service } = cast;
    await submittedChange(requester, service.id, { stakeholderIds: [stake.id] });
    expect(await waitingOf(outsider)).toEqual([]);
  });

  it("takes a decided change out of every approver's queue", async () => {
    const { requester, rm, rm2, admin, service } = cast;
    const approved = await submittedChange(requester, service.id, { risk: "LOW" });
    const rejected = await submittedChange(requester, service.id, { risk: "MEDIUM" });
    expect((await waitingOf(rm2)).map(([, id]) => id).sort()).toEqual([approved.id, rejected.id].sort());

    await approve(rm, approved.id);
    await rejectChange(admin, { changeId: rejected.id, comment: "Talk to finance first." }, ctx);
    expect(await waitingOf(rm)).toEqual([]);
    expect(await waitingOf(rm2)).toEqual([]);
    expect(await waitingOf(admin)).toEqual([]);
  });

  it("says what an emergency change waits for", async () => {
    const { requester, rm, service } = cast;
    const c = await submittedChange(requester, service.id, { type: "EMERGENCY", risk: "HIGH" });
    expect((await workQueue(rm)).waiting).toMatchObject([
      { kind: "decision", id: c.id, reason: "Your approval (emergency change)", detail: "Waiting for a Release manager's approval" },
    ]);
  });
});

describe("the requester's own work", () => {
  it("lists the requester's drafts and rejected changes with the rejection's reason, and nobody else's", async () => {
    const { requester, rm, service } = cast;
    const draft = await createChange(requester, createInput({ serviceId: service.id, stakeholderIds: [] }), ctx);
    const c = await submittedChange(requester, service.id);
    await rejectChange(rm, { changeId: c.id, comment: "Finance still reads these tables." }, ctx);

    const q = await workQueue(requester);
    expect(q.waiting).toMatchObject([
      { kind: "rejected", id: c.id, reason: "Your change was rejected", detail: "Rita Release: Finance still reads these tables." },
      { kind: "draft", id: draft.id, reason: "Your draft, not submitted yet" },
    ]);
    expect(q.counts).toEqual({ decision: 0, uat: 0, retrospective: 0, rejected: 1, draft: 1 });
    expect((await waitingOf(rm)).filter(([kind]) => kind === "draft" || kind === "rejected")).toEqual([]);
  });
});

describe("retrospectives", () => {
  it("lists an approved emergency change as retrospective due only for change.review holders, until one is recorded", async () => {
    const { requester, rm, rm2, admin, stake, viewer, service } = cast;
    const c = await submittedChange(requester, service.id, { type: "EMERGENCY", risk: "HIGH" });
    await approve(rm, c.id);

    for (const reviewer of [rm, rm2, admin]) {
      expect(await waitingOf(reviewer)).toEqual([["retrospective", c.id]]);
    }
    for (const other of [requester, stake, viewer]) {
      expect((await waitingOf(other)).filter(([kind]) => kind === "retrospective")).toEqual([]);
    }

    await recordRetrospective(rm2, { changeId: c.id, notes: "Root cause understood." }, ctx);
    expect(await waitingOf(rm)).toEqual([]);
  });
});

describe("what everyone sees", () => {
  it("gives a viewer an empty queue but shows the coming changes and freezes", async () => {
    const { requester, rm, viewer, service } = cast;
    const c = await submittedChange(requester, service.id, { plannedStart: hoursFromNow(30), plannedEnd: hoursFromNow(31) });
    await approve(rm, c.id);
    await scheduleChange(requester, { changeId: c.id, freezeOverrideReason: "" }, ctx);

    const q = await workQueue(viewer);
    expect(q.waiting).toEqual([]);
    expect(q.counts).toEqual({ decision: 0, uat: 0, retrospective: 0, rejected: 0, draft: 0 });
    expect(q.upcoming).toMatchObject([{ id: c.id, status: "SCHEDULED", service: { name: service.name }, conflicts: [] }]);
  });

  it("lists approved and scheduled changes of the next 7 days only, and marks one that falls in a freeze", async () => {
    const { requester, rm, service } = cast;
    const soon = await submittedChange(requester, service.id, { plannedStart: hoursFromNow(48), plannedEnd: hoursFromNow(50) });
    const later = await submittedChange(requester, service.id, { plannedStart: hoursFromNow(24 * 8), plannedEnd: hoursFromNow(24 * 8 + 1) });
    const notApproved = await submittedChange(requester, service.id, { plannedStart: hoursFromNow(30), plannedEnd: hoursFromNow(31) });
    await approve(rm, soon.id);
    await approve(rm, later.id);
    await db.freezeWindow.create({
      data: { startsAt: new Date(hoursFromNow(47)), endsAt: new Date(hoursFromNow(72)), environment: null, reason: "Black Friday", createdById: rm.id },
    });

    const q = await workQueue(rm);
    expect(q.upcoming.map((u) => u.id)).toEqual([soon.id]);
    expect(q.upcoming[0]!.conflicts).toMatchObject([{ kind: "freeze", reason: "Black Friday", overridden: false }]);
    expect(q.upcoming.map((u) => u.id)).not.toContain(notApproved.id);
  });

  it("lists freezes in force or starting within 14 days, soonest first, without cancelled or ended ones", async () => {
    const { rm, viewer } = cast;
    const freeze = (startH: number, endH: number, reason: string, cancelled = false) =>
      db.freezeWindow.create({
        data: {
          startsAt: new Date(hoursFromNow(startH)),
          endsAt: new Date(hoursFromNow(endH)),
          environment: "PRODUCTION",
          reason,
          createdById: rm.id,
          cancelledAt: cancelled ? new Date() : null,
        },
      });
    await freeze(-5, 5, "Database migration");
    await freeze(24 * 3, 24 * 4, "Quarter close");
    await freeze(24 * 20, 24 * 21, "Too far ahead");
    await freeze(-48, -24, "Already over");
    await freeze(2, 10, "Called off", true);

    const q = await workQueue(viewer);
    expect(q.freezes.map((f) => [f.reason, f.active])).toEqual([
      ["Database migration", true],
      ["Quarter close", false],
    ]);
  });
});
