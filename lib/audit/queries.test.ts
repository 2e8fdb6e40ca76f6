import { beforeAll, describe, expect, it } from "vitest";
import { appendAuditEventsBulk, type BulkAuditEvent } from "../db/audit-bulk.ts";
import { db } from "../db/client.ts";
import { parseInput } from "../validation/parse.ts";
import { ZAuditFilter, filterParams, type TAuditFilter } from "./filters.ts";
import { auditPage } from "./queries.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
let aliceId = "";

// 300 events one minute apart: Alice (a real user) acts on even minutes, failed sign-ins for an
// unknown email on every fifth, the rest are system events; targets cycle through 3 services.
beforeAll(async () => {
  aliceId = (await db.user.create({ data: { email: "alice@example.com", name: "Alice" }, select: { id: true } })).id;
  const events: BulkAuditEvent[] = Array.from({ length: 300 }, (_, i) => {
    const alice = i % 2 === 0;
    const stranger = !alice && i % 5 === 0;
    return {
      at: new Date(T0 + i * 60_000),
      actorId: alice ? aliceId : null,
      actorLabel: alice ? "alice@example.com" : stranger ? "who@nowhere.test" : "demo seed",
      ip: "10.0.0.1",
      userAgent: "test",
      action: stranger ? "auth.sign_in.failed" : alice ? "service.updated" : "service.created",
      targetType: "Service",
      targetId: `svc-${i % 3}`,
      changes: JSON.stringify({ i }),
    };
  });
  await appendAuditEventsBulk(db, events);
});

function filter(input: Record<string, string>): TAuditFilter {
  const parsed = parseInput(ZAuditFilter, input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.data;
}

const indexOf = (seq: number) => seq - 1; // the trail starts empty, so event i has seq i + 1

describe("audit viewer queries", () => {
  it("pages the whole trail newest first with Older/Newer cursors and no overlap", async () => {
    const first = await auditPage({}, {}, 50);
    expect(first.events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 300 - i));
    expect(first.newer).toBeNull();
    expect(first.older).toBe(251);

    const seen = new Set(first.events.map((e) => e.seq));
    let page = first;
    let pages = 1;
    while (page.older !== null) {
      page = await auditPage({}, { before: page.older }, 50);
      for (const e of page.events) {
        expect(seen.has(e.seq)).toBe(false);
        seen.add(e.seq);
      }
      pages += 1;
    }
    expect(pages).toBe(6);
    expect(seen.size).toBe(300);
    expect(page.events.at(-1)?.seq).toBe(1);

    const back = await auditPage({}, { after: page.newer! }, 50);
    expect(back.events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 100 - i));
    expect(back.older).toBe(51);
    expect(back.newer).toBe(100);
  });

  it("finds a user's events by email in any case, through their id", async () => {
    const page = await auditPage(filter({ actor: "  ALICE@Example.com " }), {}, 200);
    expect(page.events).toHaveLength(150);
    expect(page.events.every((e) => e.actorLabel === "alice@example.com")).toBe(true);
  });

  it("finds events of an actor that is not a user by the exact label", async () => {
    const page = await auditPage(filter({ actor: "who@nowhere.test" }), {}, 200);
    expect(page.events).toHaveLength(30);
    expect(page.events.every((e) => e.action === "auth.sign_in.failed")).toBe(true);
    expect((await auditPage(filter({ actor: "who@nowhere" }), {}, 200)).events).toHaveLength(0);
  });

  it("combines action, target and time range, and keeps the filter across pages", async () => {
    const f = filter({
      action: "service.updated",
      targetType: "Service",
      targetId: "svc-0",
      from: "2026-06-01T13:00", // event 60
      to: "2026-06-01T15:59", // event 239, inclusive of that minute
    });
    const expected = Array.from({ length: 300 }, (_, i) => i)
      .filter((i) => i % 2 === 0 && i % 3 === 0 && i >= 60 && i <= 239)
      .reverse();
    const one = await auditPage(f, {}, 20);
    const two = await auditPage(f, { before: one.older! }, 20);
    expect([...one.events, ...two.events].map((e) => indexOf(e.seq))).toEqual(expected);
    expect(two.older).toBeNull();
  });

  it("returns nothing for a time range after the last event", async () => {
    expect(await auditPage(filter({ from: "2030-01-01T00:00" }))).toEqual({ events: [], older: null, newer: null });
  });

  it("refuses a target id without its type and a range that ends before it starts", () => {
    const parsed = parseInput(ZAuditFilter, { targetId: "svc-1", from: "2026-06-02T00:00", to: "2026-06-01T00:00" });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.fieldErrors.targetType).toMatch(/target type/);
      expect(parsed.fieldErrors.to).toMatch(/before/);
    }
  });

  it("writes the filter back as the URL parameters the form uses", () => {
    const f = filter({ actor: "Alice@Example.com", action: "", from: "2026-06-01T13:00", targetType: "" });
    expect(filterParams(f).toString()).toBe("actor=alice%40example.com&from=2026-06-01T13%3A00");
  });
});
