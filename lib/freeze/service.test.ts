import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { auditOf, makeUser, signInAs, TEST_CONTEXT } from "../testing/actors.ts";
import { parseInput } from "../validation/parse.ts";
import { listFreezeWindows } from "./queries.ts";
import { ZCreateFreezeWindowInput, type TCreateFreezeWindowInput } from "./schemas.ts";
import { cancelFreezeWindow, createFreezeWindow } from "./service.ts";

const context = TEST_CONTEXT;
const HOUR = 3_600_000;

async function actor(role: Parameters<typeof makeUser>[0]) {
  return (await signInAs((await makeUser(role)).id)).user;
}

function input(startsInHours: number, hours: number, extra: Partial<TCreateFreezeWindowInput> = {}): TCreateFreezeWindowInput {
  const startsAt = new Date(Date.now() + startsInHours * HOUR);
  return { startsAt, endsAt: new Date(startsAt.getTime() + hours * HOUR), environment: null, reason: "Black Friday trading", ...extra };
}

let changeCounter = 0;
async function service(name: string, environment: "PRODUCTION" | "STAGING") {
  return db.service.create({ data: { name, environment, ownerTeam: "Payments", tier: 1 } });
}
async function change(
  serviceId: string,
  requesterId: string,
  status: "DRAFT" | "SUBMITTED" | "APPROVED" | "SCHEDULED",
  startsInHours: number,
  hours: number,
) {
  changeCounter++;
  const plannedStart = new Date(Date.now() + startsInHours * HOUR);
  return db.changeRequest.create({
    data: {
      number: changeCounter,
      title: `Change ${changeCounter}`,
      serviceId,
      requesterId,
      type: "NORMAL",
      risk: "LOW",
      status,
      plannedStart,
      plannedEnd: new Date(plannedStart.getTime() + hours * HOUR),
    },
  });
}

describe("freeze windows", () => {
  beforeEach(async () => {
    await db.notification.deleteMany();
    await db.changeRequest.deleteMany();
    await db.freezeWindow.deleteMany();
  });

  it("lets a release manager create a freeze for all environments, audited with what was frozen", async () => {
    const release = await actor("RELEASE_MANAGER");
    const created = await createFreezeWindow(release, input(24, 48), context);

    const stored = await db.freezeWindow.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored).toMatchObject({ environment: null, reason: "Black Friday trading", createdById: release.id, cancelledAt: null });
    const [event] = await auditOf("freeze.created", created.id);
    expect(event).toMatchObject({ actorId: release.id, targetType: "FreezeWindow", ip: context.ip });
    expect(event?.changes).toMatchObject({
      environment: "ALL",
      reason: "Black Friday trading",
      startsAt: stored.startsAt.toISOString(),
      endsAt: stored.endsAt.toISOString(),
      overlappingChanges: [],
    });
  });

  it("lets an administrator create and cancel a freeze too", async () => {
    const admin = await actor("ADMIN");
    const created = await createFreezeWindow(admin, input(1, 2, { environment: "STAGING" }), context);
    await cancelFreezeWindow(admin, { freezeWindowId: created.id }, context);
    expect((await db.freezeWindow.findUniqueOrThrow({ where: { id: created.id } })).cancelledAt).not.toBeNull();
  });

  it("refuses a stakeholder (and every role without freeze.manage), and audits the refusal", async () => {
    for (const role of ["STAKEHOLDER", "OPERATOR", "VIEWER", "AUDITOR"] as const) {
      const someone = await actor(role);
      await expect(createFreezeWindow(someone, input(1, 2), context)).rejects.toMatchObject({
        code: "forbidden",
        message: "Only release managers and administrators manage freeze windows.",
      });
      const denied = await db.auditEvent.findFirstOrThrow({ where: { action: "access.denied", actorId: someone.id } });
      expect(JSON.parse(denied.changes)).toEqual({ permission: "freeze.manage", attempted: "freeze.create" });
    }
    expect(await db.freezeWindow.count()).toBe(0);

    const release = await actor("RELEASE_MANAGER");
    const created = await createFreezeWindow(release, input(1, 2), context);
    const stakeholder = await actor("STAKEHOLDER");
    await expect(cancelFreezeWindow(stakeholder, { freezeWindowId: created.id }, context)).rejects.toMatchObject({ code: "forbidden" });
    const denied = await db.auditEvent.findFirstOrThrow({ where: { action: "access.denied", actorId: stakeholder.id } });
    expect(JSON.parse(denied.changes)).toMatchObject({ attempted: "freeze.cancel" });
    expect((await db.freezeWindow.findUniqueOrThrow({ where: { id: created.id } })).cancelledAt).toBeNull();
    expect(await auditOf("freeze.cancelled", created.id)).toHaveLength(0);
  });

  it("explains what to fix: missing times and reason, end before start", () => {
    const empty = parseInput(ZCreateFreezeWindowInput, { startsAt: "", endsAt: "", environment: "", reason: "  " });
    expect(empty.ok).toBe(false);
    if (empty.ok) return;
    expect(empty.fieldErrors).toEqual({
      startsAt: "Enter when the freeze starts.",
      endsAt: "Enter when the freeze ends.",
      reason: 'Say why changes are frozen, e.g. "Black Friday trading".',
    });

    const backwards = parseInput(ZCreateFreezeWindowInput, { startsAt: "2030-01-02T10:00", endsAt: "2030-01-02T09:00", reason: "x" });
    expect(backwards).toMatchObject({ ok: false, fieldErrors: { endsAt: "The freeze must end after it starts." } });

    const garbage = parseInput(ZCreateFreezeWindowInput, { startsAt: "next tuesday", endsAt: "2030-01-02T09:00", reason: "x" });
    expect(garbage).toMatchObject({ ok: false, fieldErrors: { startsAt: "Enter a date and time, like 2026-12-20 18:00." } });

    const wrongEnv = parseInput(ZCreateFreezeWindowInput, { startsAt: "2030-01-02T10:00", endsAt: "2030-01-02T12:00", environment: "MOON", reason: "x" });
    expect(wrongEnv.ok).toBe(false);
  });

  it("reads a time typed without a zone as UTC, and an empty environment as all", () => {
    const parsed = parseInput(ZCreateFreezeWindowInput, { startsAt: "2030-01-02T10:00", endsAt: "2030-01-02T12:30", environment: "", reason: "Release train" });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.data.startsAt.toISOString()).toBe("2030-01-02T10:00:00.000Z");
    expect(parsed.data.endsAt.toISOString()).toBe("2030-01-02T12:30:00.000Z");
    expect(parsed.data.environment).toBeNull();
  });

  it("refuses a freeze that is already over, and one whose end is not after its start", async () => {
    const release = await actor("RELEASE_MANAGER");
    await expect(createFreezeWindow(release, input(-5, 2), context)).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { endsAt: "That freeze would already be over: choose an end in the future." },
    });
    await expect(createFreezeWindow(release, input(5, 0), context)).rejects.toMatchObject({
      fieldErrors: { endsAt: "The freeze must end after it starts." },
    });
    // Started an hour ago, still running: allowed (freezing now is the common case).
    await createFreezeWindow(release, input(-1, 3), context);
    expect(await db.freezeWindow.count()).toBe(1);
    expect((await auditOf("freeze.created")).filter((e) => e.actorId === release.id)).toHaveLength(1);
  });

  it("reports approved and scheduled changes the new freeze overlaps and notifies their requesters", async () => {
    const release = await actor("RELEASE_MANAGER");
    const alice = await makeUser("OPERATOR");
    const bob = await makeUser("OPERATOR");
    const prod = await service("payments-api", "PRODUCTION");
    const staging = await service("payments-api", "STAGING");

    const scheduled = await change(prod.id, alice.id, "SCHEDULED", 30, 2); // inside
    const approved = await change(prod.id, bob.id, "APPROVED", 46, 4); // straddles the end
    await change(prod.id, bob.id, "SUBMITTED", 30, 2); // not yet committed to a window
    await change(prod.id, bob.id, "DRAFT", 30, 2);
    await change(prod.id, bob.id, "SCHEDULED", 20, 4); // ends exactly when the freeze starts: no overlap
    await change(staging.id, alice.id, "SCHEDULED", 30, 2); // another environment

    const created = await createFreezeWindow(release, input(24, 24, { environment: "PRODUCTION", reason: "Quarter-end close" }), context);

    expect(created.affectedChanges.map((c) => c.number)).toEqual([
      `CHG-${String(scheduled.number).padStart(6, "0")}`,
      `CHG-${String(approved.number).padStart(6, "0")}`,
    ]);
    expect(created.notified.map((u) => u.id).sort()).toEqual([alice.id, bob.id].sort());
    const notes = await db.notification.findMany({ orderBy: { userId: "asc" } });
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatchObject({ kind: "freeze.overlaps_change", link: "/changes/calendar" });
    expect(notes.find((n) => n.userId === alice.id)?.body).toContain("Quarter-end close");

    const [event] = await auditOf("freeze.created", created.id);
    expect(event?.changes).toMatchObject({
      environment: "PRODUCTION",
      overlappingChanges: created.affectedChanges.map((c) => c.number),
      notified: [alice.email, bob.email].sort(),
    });

    // A freeze for all environments catches the staging change as well.
    const all = await createFreezeWindow(release, input(29, 2), context);
    expect(all.affectedChanges).toHaveLength(2);
    expect(all.affectedChanges.map((c) => c.number)).toContain(`CHG-${String(scheduled.number).padStart(6, "0")}`);
  });

  it("cancels a freeze once, keeping it on record, and refuses past freezes", async () => {
    const release = await actor("RELEASE_MANAGER");
    const created = await createFreezeWindow(release, input(-1, 3, { reason: "Incident stabilisation" }), context);

    const before = await listFreezeWindows();
    expect(before.active.map((f) => f.id)).toEqual([created.id]);

    await cancelFreezeWindow(release, { freezeWindowId: created.id }, context);
    const [event] = await auditOf("freeze.cancelled", created.id);
    expect(event?.changes).toMatchObject({ reason: "Incident stabilisation", wasActive: true, environment: "ALL" });
    await expect(cancelFreezeWindow(release, { freezeWindowId: created.id }, context)).rejects.toMatchObject({
      code: "conflict",
      message: "That freeze window has already been cancelled.",
    });
    expect(await auditOf("freeze.cancelled", created.id)).toHaveLength(1);

    const after = await listFreezeWindows();
    expect(after.active).toHaveLength(0);
    expect(after.past.map((f) => f.id)).toEqual([created.id]);

    const old = await db.freezeWindow.create({
      data: { startsAt: new Date(Date.now() - 10 * HOUR), endsAt: new Date(Date.now() - 5 * HOUR), reason: "old", createdById: release.id },
    });
    await expect(cancelFreezeWindow(release, { freezeWindowId: old.id }, context)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(cancelFreezeWindow(release, { freezeWindowId: "nope" }, context)).rejects.toMatchObject({ code: "not_found" });
  });

  it("lists freezes as in force now, upcoming and past", async () => {
    const release = await actor("RELEASE_MANAGER");
    const now = await createFreezeWindow(release, input(-1, 2), context);
    const soon = await createFreezeWindow(release, input(5, 2), context);
    const later = await createFreezeWindow(release, input(50, 2), context);
    const past = await db.freezeWindow.create({
      data: { startsAt: new Date(Date.now() - 10 * HOUR), endsAt: new Date(Date.now() - 5 * HOUR), reason: "old", createdById: release.id },
    });
    const lists = await listFreezeWindows();
    expect(lists.active.map((f) => f.id)).toEqual([now.id]);
    expect(lists.upcoming.map((f) => f.id)).toEqual([soon.id, later.id]);
    expect(lists.past.map((f) => f.id)).toEqual([past.id]);
  });
});
