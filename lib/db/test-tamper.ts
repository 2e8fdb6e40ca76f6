import type { Db } from "./client.ts";

/**
 * USED ONLY BY TESTS. What an attacker with database rights can do to the audit trail once the
 * append-only triggers are out of the way, so tests can prove that verification notices.
 * Backtick quoting is understood by both SQLite and MySQL/MariaDB.
 */

type EditableField = "action" | "actorLabel" | "changes" | "targetId" | "prevHash" | "hash";

export async function dropAuditTriggers(db: Db): Promise<void> {
  await db.$executeRawUnsafe("DROP TRIGGER IF EXISTS `AuditEvent_no_update`");
  await db.$executeRawUnsafe("DROP TRIGGER IF EXISTS `AuditEvent_no_delete`");
}

/** UPDATE one event's stored fields in place. */
export async function tamperEditEvent(db: Db, seq: number, fields: Partial<Record<EditableField, string>>): Promise<void> {
  const entries = Object.entries(fields);
  if (!entries.length) return;
  const sets = entries.map(([name]) => `\`${name}\` = ?`).join(", ");
  const changed = await db.$executeRawUnsafe(
    `UPDATE \`AuditEvent\` SET ${sets} WHERE \`seq\` = ?`,
    ...entries.map(([, value]) => value),
    seq,
  );
  if (changed !== 1) throw new Error(`no audit event ${seq} to edit`);
}

export async function tamperDeleteEvent(db: Db, seq: number): Promise<void> {
  const changed = await db.$executeRawUnsafe("DELETE FROM `AuditEvent` WHERE `seq` = ?", seq);
  if (changed !== 1) throw new Error(`no audit event ${seq} to delete`);
}

/** Swaps the positions of two events: each keeps its content and hashes but takes the other's seq. */
export async function tamperSwapEvents(db: Db, a: number, b: number): Promise<void> {
  const parking = -1;
  await db.$transaction([
    db.$executeRawUnsafe("UPDATE `AuditEvent` SET `seq` = ? WHERE `seq` = ?", parking, a),
    db.$executeRawUnsafe("UPDATE `AuditEvent` SET `seq` = ? WHERE `seq` = ?", a, b),
    db.$executeRawUnsafe("UPDATE `AuditEvent` SET `seq` = ? WHERE `seq` = ?", b, parking),
  ]);
}

/** Empties the trail and rewinds the head: lets a test file start each case from a fresh chain. */
export async function tamperWipeTrail(db: Db, genesisHash: string): Promise<void> {
  await db.$executeRawUnsafe("DELETE FROM `AuditEvent`");
  await db.$executeRawUnsafe("UPDATE `AuditHead` SET `seq` = 0, `hash` = ? WHERE `id` = 1", genesisHash);
}
