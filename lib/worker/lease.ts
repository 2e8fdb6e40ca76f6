import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";

/*
 * Single-instance background jobs: a named WorkerLease row says who runs the job until when. With
 * several portal instances, the one holding the lease runs it; the others keep trying and take
 * over once the holder stops renewing (crash) or releases it (shutdown). Every step is a
 * compare-and-set in one statement, so two instances racing never both win:
 * - acquire: INSERT the row (a unique violation means it exists), else UPDATE it where it is ours
 *   or expired;
 * - renew: UPDATE where it is ours (0 rows: lost, e.g. we stalled past expiry and someone took it);
 * - release: expire it where it is ours, so the next instance takes over at once.
 */

/** A process-unique holder name: host, pid and a random tag. */
export function leaseHolderId(prefix = ""): string {
  return `${prefix}${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

export async function acquireLease(db: Db, name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const taken = await db.workerLease.updateMany({
    where: { name, OR: [{ holder }, { expiresAt: { lte: now } }] },
    data: { holder, expiresAt },
  });
  if (taken.count === 1) return true;
  try {
    await db.workerLease.create({ data: { name, holder, expiresAt } });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false; // someone else holds it (or just created it)
    throw err;
  }
}

/** Extends our lease; false when it is no longer ours. */
export async function renewLease(db: Db, name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
  const { count } = await db.workerLease.updateMany({ where: { name, holder }, data: { expiresAt: new Date(now.getTime() + ttlMs) } });
  return count === 1;
}

/** Gives the lease up (expires it now) if it is ours. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.workerLease.updateMany({ where: { name, holder }, data: { expiresAt: new Date(0) } });
}

export async function leaseHolder(db: Db, name: string, now = new Date()): Promise<string | null> {
  const row = await db.workerLease.findUnique({ where: { name } });
  return row && row.expiresAt > now ? row.holder : null;
}
