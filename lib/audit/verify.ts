import type { Db } from "../db/client.ts";
import { eventHash, GENESIS_HASH } from "./chain.ts";

export type VerifyResult =
  | { intact: true; events: number }
  | { intact: false; events: number; brokenAt: number; reason: string };

const BATCH = 5_000;

/**
 * Walks the whole chain in sequence order and recomputes every hash. Any edited field, deleted
 * event or reordering shows up as the first sequence number where the chain stops agreeing.
 */
export async function verifyAuditChain(db: Db, onProgress?: (checked: number) => void): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { seq: { gte: expectedSeq } },
      orderBy: { seq: "asc" },
      take: BATCH,
    });
    for (const e of batch) {
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
      checked += 1;
    }
    onProgress?.(checked);
    if (batch.length < BATCH) break;
  }
  // The head remembers the last event written: deleting events from the end is caught here.
  const head = await db.auditHead.findUnique({ where: { id: 1 } });
  if (!head || head.seq !== checked || head.hash !== prevHash) {
    return { intact: false, events: checked, brokenAt: checked + 1, reason: "events after this point were removed" };
  }
  return { intact: true, events: checked };
}
