import type { CurrentUser } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import { recordAudit, type RequestContext } from "./record.ts";
import { verifyAuditChain, type VerifyResult } from "./verify.ts";

export type RecordedVerification = VerifyResult & { ms: number; at: Date };

/**
 * Verifies the whole chain and records that it was verified and what was found, so checks (and a
 * broken result) are themselves part of the trail. The event is appended after the walk: it is
 * not part of what was checked.
 */
export async function verifyTrailAs(user: Pick<CurrentUser, "id" | "email">, context: RequestContext): Promise<RecordedVerification> {
  const started = performance.now();
  const result = await verifyAuditChain(db);
  const ms = Math.round(performance.now() - started);
  const at = new Date();
  await db.$transaction((tx) =>
    recordAudit(tx, {
      action: "audit.verified",
      actor: { id: user.id, label: user.email },
      context,
      changes: result.intact
        ? { result: "intact", events: result.events, ms }
        : { result: "broken", brokenAt: result.brokenAt, reason: result.reason, eventsChecked: result.events, ms },
    }),
  );
  return { ...result, ms, at };
}
