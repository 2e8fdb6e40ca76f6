import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { auditOf, makeUser, signInAs, TEST_CONTEXT } from "../testing/actors.ts";
import { parseInput } from "../validation/parse.ts";
import { activeMaintenance, cancelMaintenance, listMaintenance, scheduleMaintenance } from "./maintenance.ts";
import { ZScheduleMaintenanceInput } from "./maintenance-schemas.ts";

const context = TEST_CONTEXT;
const HOUR = 3_600_000;

async function actor(role: Parameters<typeof makeUser>[0]) {
  return (await signInAs((await makeUser(role)).id)).user;
}

let counter = 0;
async function service() {
  counter++;
  return db.service.create({ data: { name: `maint-svc-${counter}`, environment: "PRODUCTION", ownerTeam: "Platform", tier: 2 } });
}

function window(serviceId: string, startsInHours: number, hours: number, reason = "Database upgrade to 10.11") {
  const startsAt = new Date(Date.now() + startsInHours * HOUR);
  return { serviceId, startsAt, endsAt: new Date(startsAt.getTime() + hours * HOUR), reason };
}

beforeEach(async () => {
  await db.maintenanceWindow.deleteMany();
});

describe("maintenance windows", () => {
  it("lets an operator schedule a window starting now, audited with what was planned", async () => {
    const operator = await actor("OPERATOR");
    const svc = await service();
    const created = await scheduleMaintenance(operator, window(svc.id, 0, 2), context);
    const [event] = await auditOf("health.maintenance_scheduled", created.id);
    expect(event).toMatchObject({ actorId: operator.id, targetType: "MaintenanceWindow" });
    expect(event?.changes).toEqual({
      service: svc.name,
      startsAt: created.startsAt.toISOString(),
      endsAt: created.endsAt.toISOString(),
      reason: "Database upgrade to 10.11",
    });
    expect(await activeMaintenance(svc.id)).toMatchObject({ id: created.id, reason: "Database upgrade to 10.11" });
  });

  it("refuses a window that starts in the past, ends before it starts, lasts over 7 days or has no reason", async () => {
    const operator = await actor("OPERATOR");
    const svc = await service();
    await expect(scheduleMaintenance(operator, window(svc.id, -1, 2), context)).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { startsAt: "A maintenance window cannot start in the past: start it now or later." },
    });
    await expect(scheduleMaintenance(operator, window(svc.id, 1, -1), context)).rejects.toMatchObject({
      fieldErrors: { endsAt: "The maintenance must end after it starts." },
    });
    await expect(scheduleMaintenance(operator, window(svc.id, 1, 7 * 24 + 1), context)).rejects.toMatchObject({
      fieldErrors: { endsAt: "A maintenance window lasts at most 7 days; schedule longer work as several windows." },
    });
    await expect(scheduleMaintenance(operator, window(svc.id, 1, 2, "  "), context)).rejects.toMatchObject({
      fieldErrors: { reason: "Say what the maintenance is for." },
    });
    expect(await db.maintenanceWindow.count()).toBe(0);

    // The form's own messages, before the rules that need the clock.
    const parsed = parseInput(ZScheduleMaintenanceInput, { serviceId: svc.id, startsAt: "2026-12-01T10:00", endsAt: "2026-12-01T09:00", reason: "" });
    expect(parsed).toMatchObject({
      ok: false,
      fieldErrors: { endsAt: "The maintenance must end after it starts.", reason: 'Say what the maintenance is for, e.g. "Database upgrade to 10.11".' },
    });
    expect(parseInput(ZScheduleMaintenanceInput, { serviceId: svc.id, startsAt: "", endsAt: "soon", reason: "x" })).toMatchObject({
      fieldErrors: { startsAt: "Enter when the maintenance starts.", endsAt: "Enter a date and time, like 2026-12-20 18:00." },
    });
    // datetime-local values are read as UTC.
    expect(parseInput(ZScheduleMaintenanceInput, { serviceId: svc.id, startsAt: "2026-12-01T10:00", endsAt: "2026-12-01T12:00", reason: "x" })).toMatchObject({
      ok: true,
      data: { startsAt: new Date("2026-12-01T10:00:00Z") },
    });
  });

  it("refuses a viewer scheduling or cancelling, and audits the refusal", async () => {
    const operator = await actor("OPERATOR");
    const viewer = await actor("VIEWER");
    const svc = await service();
    await expect(scheduleMaintenance(viewer, window(svc.id, 1, 2), context)).rejects.toMatchObject({ code: "forbidden" });
    const created = await scheduleMaintenance(operator, window(svc.id, 1, 2), context);
    await expect(cancelMaintenance(viewer, { maintenanceId: created.id }, context)).rejects.toMatchObject({ code: "forbidden" });
    const denied = await db.auditEvent.findMany({ where: { action: "access.denied", actorId: viewer.id }, orderBy: { seq: "asc" } });
    expect(denied.map((d) => JSON.parse(d.changes))).toEqual([
      { permission: "health.manage", attempted: "health.maintenance_schedule" },
      { permission: "health.manage", attempted: "health.maintenance_cancel" },
    ]);
    expect(await db.maintenanceWindow.count({ where: { cancelledAt: { not: null } } })).toBe(0);
  });

  it("cancels an upcoming or active window once, audited, and the active one stops counting at once", async () => {
    const admin = await actor("ADMIN");
    const svc = await service();
    const upcoming = await scheduleMaintenance(admin, window(svc.id, 2, 1), context);
    const active = await scheduleMaintenance(admin, window(svc.id, 0, 3), context);
    await cancelMaintenance(admin, { maintenanceId: upcoming.id }, context);
    await expect(cancelMaintenance(admin, { maintenanceId: upcoming.id }, context)).rejects.toMatchObject({
      code: "conflict",
      message: "That maintenance window has already been cancelled.",
    });
    const before = new Date();
    await cancelMaintenance(admin, { maintenanceId: active.id }, context);
    expect(await activeMaintenance(svc.id)).toBeNull();
    // What was true before the cancellation stays true.
    expect(await activeMaintenance(svc.id, new Date(before.getTime() - 1))).toMatchObject({ id: active.id });
    const events = await auditOf("health.maintenance_cancelled");
    expect(events.map((e) => e.changes.wasActive)).toEqual([false, true]);
  });

  it("refuses to cancel a window that has ended", async () => {
    const operator = await actor("OPERATOR");
    const svc = await service();
    const created = await scheduleMaintenance(operator, window(svc.id, 0, 1), context);
    await expect(cancelMaintenance(operator, { maintenanceId: created.id }, context, new Date(Date.now() + 2 * HOUR))).rejects.toMatchObject({
      code: "invalid_input",
      message: "That maintenance window has already ended; past windows stay on record as they were.",
    });
  });

  it("lists a service's active, upcoming and past windows, cancelled ones with the past", async () => {
    const operator = await actor("OPERATOR");
    const [svc, other] = [await service(), await service()];
    const active = await scheduleMaintenance(operator, window(svc.id, 0, 2), context);
    const later = await scheduleMaintenance(operator, window(svc.id, 5, 1), context);
    const soon = await scheduleMaintenance(operator, window(svc.id, 1, 1), context);
    const cancelled = await scheduleMaintenance(operator, window(svc.id, 3, 1), context);
    await cancelMaintenance(operator, { maintenanceId: cancelled.id }, context);
    await scheduleMaintenance(operator, window(other.id, 0, 2), context);
    const ended = await db.maintenanceWindow.create({
      data: { serviceId: svc.id, startsAt: new Date(Date.now() - 5 * HOUR), endsAt: new Date(Date.now() - 4 * HOUR), reason: "Old", createdById: operator.id },
    });

    const lists = await listMaintenance(svc.id);
    expect(lists.active.map((w) => w.id)).toEqual([active.id]);
    expect(lists.upcoming.map((w) => w.id)).toEqual([soon.id, later.id]);
    expect(lists.past.map((w) => w.id)).toEqual([cancelled.id, ended.id]);
    expect(lists.active[0]?.createdBy).toEqual({ name: operator.name, email: operator.email });
  });
});
