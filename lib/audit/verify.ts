import type { Db } from "../db/client.ts";
import { scanAuditChain } from "../db/audit-scan.ts";
import { eventHash, GENESIS_HASH } from "./chain.ts";

export type VerifyResult =
  | { intact: true; events: number }
  | { intact: false; events: number; brokenAt: number; reason: string };

export type VerifyOptions = { onProgress?: (checked: number) => void; batchSize?: number };

/**
 * Walks the whole chain in sequence order and recomputes every hash. Any edited field, deleted
 * event or reordering shows up as the first sequence number where the chain stops agreeing.
 *
 * The head is read first and only events up to it are checked: events appended while the walk runs
 * belong to the next check, so a busy portal never reports a false break.
 */
export async function verifyAuditChain(db: Db, options: VerifyOptions = {}): Promise<VerifyResult> {
  const head = await db.auditHead.findUnique({ where: { id: 1 }, select: { seq: true, hash: true } });
  if (!head) return { intact: false, events: 0, brokenAt: 1, reason: "the chain head is missing" };
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for await (const batch of scanAuditChain(db, { throughSeq: head.seq, batchSize: options.batchSize })) {
    for (const e of batch) {
      const checked = expectedSeq - 1;
      if (e.seq !== expectedSeq) {
        return { intact: false, events: checked, brokenAt: expectedSeq, reason: `event ${expectedSeq} is missing` };
      }
      if (e.prevHash !== prevHash) {
        return { intact: false, events: checked, brokenAt: e.seq, reason: "does not follow the event before it" };
      }
      if (eventHash(e) !== e.hash) {
        return { intact: false, events: checked, brokenAt: e.seq, reason: "its content does not match its hash" };
      }
      prevHash = e.hash;
      expectedSeq += 1;
    }
    options.onProgress?.(expectedSeq - 1);
  }
  const checked = expectedSeq - 1;
  // The head remembers the last event written: deleting events from the end is caught here.
  if (checked !== head.seq) {
    return { intact: false, events: checked, brokenAt: expectedSeq, reason: `event ${expectedSeq} is missing (the trail ends early)` };
  }
  if (head.hash !== prevHash) {
    return { intact: false, events: checked, brokenAt: Math.max(checked, 1), reason: "the newest event does not match the chain head" };
  }
  return { intact: true, events: checked };
}
