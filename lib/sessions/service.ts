import { recordAudit, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { db, type Prisma } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertPermission } from "../rbac/assert.ts";
import type { TRevokeSessionInput } from "./schemas.ts";
import { describeUserAgent } from "./user-agent.ts";

type Tx = Prisma.TransactionClient;

/**
 * Revokes every live session of a user (except one, when given) inside the caller's transaction.
 * resolveSession refuses a revoked session on its next request, so this is what signs people out.
 */
export async function revokeSessionsOf(
  tx: Tx,
  userId: string,
  options: { except?: string; now?: Date } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const { count } = await tx.session.updateMany({
    where: {
      userId,
      revokedAt: null,
      expiresAt: { gt: now },
      ...(options.except ? { id: { not: options.except } } : {}),
    },
    data: { revokedAt: now },
  });
  return count;
}

/** Ends one of the caller's other sessions (a lost laptop, a shared computer). */
export async function revokeOwnSession(
  user: CurrentUser,
  input: TRevokeSessionInput,
  context: RequestContext,
): Promise<{ device: string }> {
  assertPermission(user, "session.manage_own");
  if (input.sessionId === user.sessionId) {
    throw new AppError("invalid_input", "That is the session you are using now. Use Sign out to end it.");
  }
  return db.$transaction(async (tx) => {
    const session = await tx.session.findFirst({
      where: { id: input.sessionId, userId: user.id },
      select: { id: true, userAgent: true, ip: true, revokedAt: true },
    });
    // Another user's session id gets the same answer as an unknown one.
    if (!session) throw new AppError("not_found", "That session no longer exists.");
    const device = describeUserAgent(session.userAgent);
    if (session.revokedAt) return { device };
    await tx.session.update({ where: { id: session.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      action: "session.revoked",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "Session", id: session.id },
      changes: { device, ip: session.ip, by: "owner" },
    });
    return { device };
  });
}

/** "Sign out everywhere else": every session of the caller except the one making the request. */
export async function revokeOtherOwnSessions(user: CurrentUser, context: RequestContext): Promise<{ count: number }> {
  assertPermission(user, "session.manage_own");
  return db.$transaction(async (tx) => {
    const count = await revokeSessionsOf(tx, user.id, { except: user.sessionId });
    if (count > 0) {
      await recordAudit(tx, {
        action: "session.revoked_all",
        actor: { id: user.id, label: user.email },
        context,
        target: { type: "User", id: user.id },
        changes: { count, kept: user.sessionId, by: "owner" },
      });
    }
    return { count };
  });
}
