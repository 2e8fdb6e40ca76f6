import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { makeUser } from "../testing/actors.ts";
import { calendarRange, detectConflicts, getCalendar, parseIsoDay, type CalendarFreeze } from "./calendar.ts";

const at = (s: string) => new Date(`${s}Z`);

type Input = Parameters<typeof detectConflicts>[0][number];
function c(id: string, serviceId: string, start: string, end: string, extra: Partial<Input> = {}): Input {
  return {
    id,
    number: `CHG-${id.padStart(6, "0")}`,
    title: `Change ${id}`,
    serviceId,
    environment: "PRODUCTION",
    type: "NORMAL",
    freezeOverrideReason: "",
    start: at(start),
    end: at(end),
    ...extra,
  };
}
function freeze(id: string, start: string, end: string, environment: CalendarFreeze["environment"]): CalendarFreeze {
  return { id, startsAt: at(start), endsAt: at(end), environment, reason: `freeze ${id}` };
}

describe("calendar conflicts", () => {
  it("flags both changes when two windows on the same service overlap", () => {
    const conflicts = detectConflicts(
      [c("1", "svc-a", "2026-11-03T10:00", "2026-11-03T12:00"), c("2", "svc-a", "2026-11-03T11:00", "2026-11-03T13:00")],
      [],
    );
    expect(conflicts.get("1")).toEqual([{ kind: "overlap", number: "CHG-000002", title: "Change 2" }]);
    expect(conflicts.get("2")).toEqual([{ kind: "overlap", number: "CHG-000001", title: "Change 1" }]);
  });

  it("does not flag overlapping windows on different services", () => {
    const conflicts = detectConflicts(
      [c("1", "svc-a", "2026-11-03T10:00", "2026-11-03T12:00"), c("2", "svc-b", "2026-11-03T11:00", "2026-11-03T13:00")],
      [],
    );
    expect(conflicts.size).toBe(0);
  });

  it("does not flag adjacent windows: one ending as the next starts", () => {
    const conflicts = detectConflicts(
      [c("1", "svc-a", "2026-11-03T10:00", "2026-11-03T12:00"), c("2", "svc-a", "2026-11-03T12:00", "2026-11-03T14:00")],
      [],
    );
    expect(conflicts.size).toBe(0);
  });

  it("finds every pair in a pile-up, including a long window that contains short ones", () => {
    const conflicts = detectConflicts(
      [
        c("1", "svc-a", "2026-11-03T08:00", "2026-11-03T20:00"),
        c("2", "svc-a", "2026-11-03T09:00", "2026-11-03T10:00"),
        c("3", "svc-a", "2026-11-03T18:00", "2026-11-03T19:00"),
        c("4", "svc-a", "2026-11-03T20:00", "2026-11-03T21:00"),
      ],
      [],
    );
    expect(conflicts.get("1")?.map((k) => (k.kind === "overlap" ? k.number : k.kind))).toEqual(["CHG-000002", "CHG-000003"]);
    expect(conflicts.get("2")).toHaveLength(1);
    expect(conflicts.get("3")).toHaveLength(1);
    expect(conflicts.has("4")).toBe(false);
  });

  it("flags a change inside a freeze for its environment or for all, not one for another environment", () => {
    const changes = [
      c("1", "svc-prod", "2026-11-03T10:00", "2026-11-03T12:00", { environment: "PRODUCTION" }),
      c("2", "svc-stg", "2026-11-03T10:00", "2026-11-03T12:00", { environment: "STAGING" }),
      c("3", "svc-prod2", "2026-11-04T10:00", "2026-11-04T12:00", { environment: "PRODUCTION" }),
    ];
    const onlyProd = detectConflicts(changes, [freeze("f1", "2026-11-03T00:00", "2026-11-04T00:00", "PRODUCTION")]);
    expect(onlyProd.get("1")).toEqual([
      { kind: "freeze", freezeId: "f1", reason: "freeze f1", environment: "PRODUCTION", overridden: false },
    ]);
    expect(onlyProd.has("2")).toBe(false);
    expect(onlyProd.has("3")).toBe(false); // the freeze ends at midnight, before it

    const everywhere = detectConflicts(changes, [freeze("f2", "2026-11-03T11:59", "2026-11-03T12:00", null)]);
    expect([...everywhere.keys()].sort()).toEqual(["1", "2"]);

    const adjacent = detectConflicts(changes, [freeze("f3", "2026-11-03T12:00", "2026-11-03T18:00", null)]);
    expect(adjacent.size).toBe(0);
  });

  it("marks an emergency change with an override reason as overridden, still listed", () => {
    const conflicts = detectConflicts(
      [c("1", "svc", "2026-11-03T10:00", "2026-11-03T11:00", { type: "EMERGENCY", freezeOverrideReason: "Payment outage fix" })],
      [freeze("f", "2026-11-03T00:00", "2026-11-04T00:00", null)],
    );
    expect(conflicts.get("1")).toMatchObject([{ kind: "freeze", overridden: true }]);
  });
});

describe("calendar range", () => {
  it("shows whole Monday-to-Monday weeks around a month", () => {
    const r = calendarRange("month", "2026-11-18", at("2026-11-27T05:00"));
    expect(r.view).toBe("month");
    expect(r.from.toISOString()).toBe("2026-10-26T00:00:00.000Z"); // Monday before 1 Nov (a Sunday)
    expect(r.to.toISOString()).toBe("2026-12-07T00:00:00.000Z"); // Monday after 30 Nov
    expect(r.days).toHaveLength(42);
    expect(r.prev.toISOString().slice(0, 10)).toBe("2026-10-01");
    expect(r.next.toISOString().slice(0, 10)).toBe("2026-12-01");
    expect(r.today.toISOString().slice(0, 10)).toBe("2026-11-27");
  });

  it("shows a week from Monday and falls back to today on a bad date", () => {
    const r = calendarRange("week", "2026-02-30", at("2026-11-27T05:00"));
    expect(r.from.toISOString().slice(0, 10)).toBe("2026-11-23");
    expect(r.to.toISOString().slice(0, 10)).toBe("2026-11-30");
    expect(r.days).toHaveLength(7);
    expect(parseIsoDay("2026-02-28")?.toISOString()).toBe("2026-02-28T00:00:00.000Z");
    expect(parseIsoDay("2026-13-01")).toBeNull();
    expect(calendarRange("year", undefined, at("2026-11-27T05:00")).view).toBe("month");
  });
});

describe("calendar query", () => {
  let n = 0;
  beforeEach(async () => {
    await db.changeRequest.deleteMany();
    await db.freezeWindow.deleteMany();
  });

  async function seed(serviceId: string, requesterId: string, start: string, end: string, status: "SCHEDULED" | "CANCELLED" | "DRAFT" = "SCHEDULED") {
    n++;
    return db.changeRequest.create({
      data: { number: n, title: `C${n}`, serviceId, requesterId, type: "NORMAL", risk: "LOW", status, plannedStart: at(start), plannedEnd: at(end) },
    });
  }

  it("reads only changes and live freezes overlapping the range, with conflicts marked", async () => {
    const requester = await makeUser("OPERATOR");
    const prod = await db.service.create({ data: { name: `checkout-${Date.now()}`, environment: "PRODUCTION", ownerTeam: "Web", tier: 1 } });
    const stg = await db.service.create({ data: { name: `checkout-${Date.now()}`, environment: "STAGING", ownerTeam: "Web", tier: 2 } });
    const a = await seed(prod.id, requester.id, "2026-11-10T10:00", "2026-11-10T12:00");
    const b = await seed(prod.id, requester.id, "2026-11-10T11:00", "2026-11-10T13:00", "DRAFT");
    const s = await seed(stg.id, requester.id, "2026-11-12T10:00", "2026-11-12T12:00");
    const straddling = await seed(prod.id, requester.id, "2026-11-15T22:00", "2026-11-16T02:00");
    await seed(prod.id, requester.id, "2026-11-10T10:30", "2026-11-10T11:30", "CANCELLED"); // holds no window
    await seed(prod.id, requester.id, "2026-11-16T02:00", "2026-11-16T04:00"); // starts at the range's end
    await seed(prod.id, requester.id, "2026-11-08T20:00", "2026-11-09T00:00"); // ends at the range's start

    const creator = await makeUser("RELEASE_MANAGER");
    const f = await db.freezeWindow.create({
      data: { startsAt: at("2026-11-12T00:00"), endsAt: at("2026-11-13T00:00"), environment: "STAGING", reason: "Staging rebuild", createdById: creator.id },
    });
    await db.freezeWindow.create({
      data: { startsAt: at("2026-11-10T00:00"), endsAt: at("2026-11-11T00:00"), reason: "Withdrawn", createdById: creator.id, cancelledAt: new Date() },
    });

    const data = await getCalendar(at("2026-11-09T00:00"), at("2026-11-16T00:00"));
    expect(data.changes.map((ch) => ch.id)).toEqual([a.id, b.id, s.id, straddling.id]);
    expect(data.freezes.map((fr) => fr.id)).toEqual([f.id]);
    const byId = new Map(data.changes.map((ch) => [ch.id, ch]));
    expect(byId.get(a.id)?.conflicts).toEqual([{ kind: "overlap", number: "CHG-000002", title: b.title }]);
    expect(byId.get(b.id)?.conflicts).toEqual([{ kind: "overlap", number: "CHG-000001", title: a.title }]);
    expect(byId.get(s.id)?.conflicts).toMatchObject([{ kind: "freeze", freezeId: f.id, reason: "Staging rebuild" }]);
    expect(byId.get(straddling.id)?.conflicts).toEqual([]);
    expect(byId.get(a.id)).toMatchObject({ number: "CHG-000001", status: "SCHEDULED", service: { id: prod.id, environment: "PRODUCTION" } });
  });
});
