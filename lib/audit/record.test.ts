import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { recordAudit } from "./record.ts";
import { verifyAuditChain } from "./verify.ts";

const actor = { id: null, label: "test" };
const context = { ip: "127.0.0.1", userAgent: "vitest" };

async function write(n: number) {
  return db.$transaction((tx) =>
    recordAudit(tx, { action: "service.updated", actor, context, target: { type: "Service", id: `s${n}` } }),
  );
}

describe("audit trail", () => {
  it("chains events in order and verifies intact", async () => {
    const first = await write(1);
    const second = await write(2);
    expect(second.seq).toBe(first.seq + 1);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });

  it("never forks the chain under concurrent writers", async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => write(100 + i)));
    const seqs = results.map((r) => r.seq).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(12);
    expect(seqs[11]! - seqs[0]!).toBe(11);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });

  it("rolls the audit event back with the change when the transaction fails", async () => {
    const before = await db.auditEvent.count();
    await expect(
      db.$transaction(async (tx) => {
        await recordAudit(tx, { action: "service.updated", actor, context });
        throw new Error("the change itself failed");
      }),
    ).rejects.toThrow("the change itself failed");
    expect(await db.auditEvent.count()).toBe(before);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });

  it("is refused by the database when an event is updated or deleted", async () => {
    const { seq } = await write(999);
    // (Prisma's SQLite adapter reports a trigger's RAISE as a constraint error; the text varies.)
    await expect(db.auditEvent.update({ where: { seq }, data: { action: "edited" } })).rejects.toThrow();
    await expect(db.auditEvent.delete({ where: { seq } })).rejects.toThrow();
    expect(await db.auditEvent.findUnique({ where: { seq } })).toMatchObject({ action: "service.updated" });
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });
});
