import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appendAuditEventsBulk, type BulkAuditEvent } from "../db/audit-bulk.ts";
import { db } from "../db/client.ts";
import { dropAuditTriggers, tamperDeleteEvent, tamperEditEvent, tamperSwapEvents, tamperWipeTrail } from "../db/test-tamper.ts";
import { eventHash, GENESIS_HASH } from "./chain.ts";
import { recordAudit } from "./record.ts";
import { verifyAuditChain } from "./verify.ts";

const actor = { id: null, label: "verify test" };
const context = { ip: "203.0.113.9", userAgent: "vitest" };

async function write(n: number): Promise<void> {
  await db.$transaction((tx) =>
    recordAudit(tx, { action: "service.updated", actor, context, target: { type: "Service", id: `svc-${n}` }, changes: { tier: n } }),
  );
}

function bulkEvents(count: number): BulkAuditEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    actorId: i % 2 ? `user-${i}` : null,
    actorLabel: `person${i % 3}@example.com`,
    ip: "10.0.0.1",
    userAgent: "bench",
    action: "service.updated",
    targetType: "Service",
    targetId: `svc-${i}`,
    changes: JSON.stringify({ i, note: 'quote " and, comma' }),
  }));
}

// An attacker with database rights first removes the triggers that make the table append-only.
beforeAll(() => dropAuditTriggers(db));

// Every case starts from a fresh, intact trail of ten events.
beforeEach(async () => {
  await tamperWipeTrail(db, GENESIS_HASH);
  for (let n = 1; n <= 10; n++) await write(n);
  expect(await verifyAuditChain(db)).toEqual({ intact: true, events: 10 });
});

describe("audit chain verification", () => {
  it("detects an event edited in place: its content no longer matches its hash", async () => {
    await tamperEditEvent(db, 4, { changes: JSON.stringify({ tier: 1 }) });
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, brokenAt: 4, events: 3, reason: "its content does not match its hash" });
  });

  it("detects an edit whose hash was recomputed, at the event after it", async () => {
    const original = await db.auditEvent.findUniqueOrThrow({ where: { seq: 6 } });
    const forged = { ...original, actorLabel: "someone-else@example.com" };
    await tamperEditEvent(db, 6, { actorLabel: forged.actorLabel, hash: eventHash(forged) });
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, brokenAt: 7, reason: "does not follow the event before it" });
  });

  it("detects an event deleted from the middle of the trail", async () => {
    await tamperDeleteEvent(db, 5);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, brokenAt: 5, events: 4, reason: "event 5 is missing" });
  });

  it("detects the newest event deleted, because the head remembers it", async () => {
    await tamperDeleteEvent(db, 10);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, brokenAt: 10, events: 9 });
  });

  it("detects two events reordered", async () => {
    await tamperSwapEvents(db, 3, 8);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, brokenAt: 3, reason: "does not follow the event before it" });
  });

  it("finds the first break across batch boundaries and reports progress per batch", async () => {
    await appendAuditEventsBulk(db, bulkEvents(95));
    await tamperEditEvent(db, 77, { action: "user.deactivated" });
    const progress: number[] = [];
    const result = await verifyAuditChain(db, { batchSize: 20, onProgress: (n) => progress.push(n) });
    expect(result).toMatchObject({ intact: false, brokenAt: 77, events: 76 });
    expect(progress).toEqual([20, 40, 60]);
  });

  it("ignores events appended after the walk started (no false alarm on a busy portal)", async () => {
    let appending: Promise<void> | undefined;
    const result = await verifyAuditChain(db, {
      batchSize: 4,
      onProgress: () => {
        appending ??= write(99);
      },
    });
    expect(result).toEqual({ intact: true, events: 10 });
    await appending;
    expect(await verifyAuditChain(db)).toEqual({ intact: true, events: 11 });
  });
});

describe("bulk append", () => {
  it("writes a valid chain that recordAudit continues", async () => {
    const { appended, head } = await appendAuditEventsBulk(db, bulkEvents(2_500), { batchSize: 1_000 });
    expect(appended).toBe(2_500);
    expect(head.seq).toBe(2_510);
    await write(11);
    expect(await verifyAuditChain(db, { batchSize: 700 })).toEqual({ intact: true, events: 2_511 });
    const stored = await db.auditEvent.findUniqueOrThrow({ where: { seq: 11 } });
    expect(stored.at.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(JSON.parse(stored.changes)).toEqual({ i: 0, note: 'quote " and, comma' });
  });
});
