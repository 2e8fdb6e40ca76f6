import { recordAudit, type RequestContext } from "../audit/record.ts";
import { db } from "../db/client.ts";
import type { CurrentUser } from "./sessions.ts";

/** Revokes the caller's own session, with its audit event, so the cookie is worthless afterwards. */
export async function endSession(user: CurrentUser, context: RequestContext): Promise<void> {
  await db.$transaction(async (tx) => {
    const revoked = await tx.session.updateMany({
      where: { id: user.sessionId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (revoked.count !== 1) return;
    await recordAudit(tx, {
      action: "auth.signed_out",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "Session", id: user.sessionId },
    });
  });
}
