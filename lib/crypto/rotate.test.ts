import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { rotateSealedSecrets, sealedKeyId } from "./rotate.ts";
import { openSecret, sealSecret } from "./secret-box.ts";

const k1 = { id: "k1", key: randomBytes(32) };
const k2 = { id: "k2", key: randomBytes(32) };
const lost = { id: "k0", key: randomBytes(32) };
const actor = { id: null, label: "keys:rotate" };
const context = { ip: "", userAgent: "vitest" };

let n = 0;
async function userWithSecret(secret: string, keys = [k1]): Promise<string> {
  n += 1;
  const user = await db.user.create({
    data: { email: `rotate${n}@example.com`, name: `Rotate ${n}`, totpSecretEnc: sealSecret(secret, keys) },
    select: { id: true },
  });
  return user.id;
}

async function rotationEvents() {
  return db.auditEvent.findMany({ where: { action: "keys.rotated" }, orderBy: { seq: "asc" } });
}

beforeEach(async () => {
  await db.user.deleteMany();
});

describe("key rotation", () => {
  it("re-encrypts every sealed value under the first key, in audited batches that never contain values", async () => {
    const secrets = Array.from({ length: 5 }, (_, i) => `JBSWY3DPEHPK3PXP${i}AAAAAAAAAAAAAAA`);
    const ids = [];
    for (const s of secrets) ids.push(await userWithSecret(s));
    const before = (await rotationEvents()).length;

    const [result] = await rotateSealedSecrets(db, { keys: [k2, k1], actor, context, batchSize: 2 });

    expect(result).toEqual({ column: "User.totpSecretEnc", checked: 5, rotated: 5, alreadyCurrent: 0, unreadable: 0, skipped: 0 });
    for (const [i, id] of ids.entries()) {
      const { totpSecretEnc } = await db.user.findUniqueOrThrow({ where: { id } });
      expect(sealedKeyId(totpSecretEnc!)).toBe("k2");
      expect(openSecret(totpSecretEnc!, [k2])).toBe(secrets[i]); // the old key is no longer needed
    }
    const events = (await rotationEvents()).slice(before);
    expect(events.map((e) => JSON.parse(e.changes).rotated)).toEqual([2, 2, 1]);
    expect(JSON.parse(events[0]!.changes)).toEqual({ column: "User.totpSecretEnc", rotated: 2, toKey: "k2", fromKeys: { k1: 2 } });
    for (const e of events) {
      for (const s of secrets) expect(e.changes).not.toContain(s);
      expect(e.changes).not.toContain("v1.");
    }
  });

  it("is idempotent: a second run changes nothing and records nothing", async () => {
    await userWithSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    await rotateSealedSecrets(db, { keys: [k2, k1], actor, context });
    const stored = (await db.user.findFirstOrThrow()).totpSecretEnc;
    const events = (await rotationEvents()).length;

    const [again] = await rotateSealedSecrets(db, { keys: [k2, k1], actor, context });

    expect(again).toMatchObject({ checked: 1, rotated: 0, alreadyCurrent: 1 });
    expect((await db.user.findFirstOrThrow()).totpSecretEnc).toBe(stored);
    expect((await rotationEvents()).length).toBe(events);
  });

  it("counts values it cannot open and leaves them untouched, rotating the rest", async () => {
    const orphanId = await userWithSecret("SEALED-UNDER-A-KEY-NOBODY-HAS", [lost]);
    const orphan = (await db.user.findUniqueOrThrow({ where: { id: orphanId } })).totpSecretEnc;
    await userWithSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

    const [result] = await rotateSealedSecrets(db, { keys: [k2, k1], actor, context });

    expect(result).toMatchObject({ checked: 2, rotated: 1, unreadable: 1 });
    expect((await db.user.findUniqueOrThrow({ where: { id: orphanId } })).totpSecretEnc).toBe(orphan);
  });

  it("does not overwrite a value that changed between read and write", async () => {
    const id = await userWithSecret("OLD-SECRET-OLD-SECRET-OLD-SECRET");
    const reenrolled = sealSecret("NEW-SECRET-NEW-SECRET-NEW-SECRET", [k1]);
    const [result] = await rotateSealedSecrets(db, {
      keys: [k2, k1],
      actor,
      context,
      columns: [
        {
          name: "User.totpSecretEnc (raced)",
          page: async (d, afterId, take) => {
            const rows = await d.user.findMany({ where: { id: { gt: afterId } }, select: { id: true, totpSecretEnc: true }, orderBy: { id: "asc" }, take });
            // The user re-enrols MFA right after the rotation read their old value.
            await d.user.update({ where: { id }, data: { totpSecretEnc: reenrolled } });
            return rows.map((r) => ({ id: r.id, value: r.totpSecretEnc ?? "" }));
          },
          replace: async (tx, rowId, from, to) =>
            (await tx.user.updateMany({ where: { id: rowId, totpSecretEnc: from }, data: { totpSecretEnc: to } })).count === 1,
        },
      ],
    });
    expect(result).toMatchObject({ rotated: 0, skipped: 1 });
    expect((await db.user.findUniqueOrThrow({ where: { id } })).totpSecretEnc).toBe(reenrolled);
  });
});
