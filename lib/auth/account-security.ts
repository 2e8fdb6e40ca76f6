import { recordAudit, type RequestContext } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { assertPasswordPolicy } from "./password-policy.ts";
import { newRecoveryCodeBatch, storeRecoveryCodes } from "./recovery-codes.ts";
import type { TChangePasswordInput } from "./schemas.ts";
import type { CurrentUser } from "./sessions.ts";
import { beginAttempt, recordFailure, recordSuccess, throttledMessage } from "./throttle.ts";

/** What the person sees about their own sign-in security on /account/security. */
export async function securityOverview(userId: string) {
  const [user, remaining, issued] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { mfaEnrolledAt: true, passwordChangedAt: true } }),
    db.recoveryCode.count({ where: { userId, usedAt: null } }),
    db.recoveryCode.count({ where: { userId } }),
  ]);
  return { ...user, recoveryCodesRemaining: remaining, recoveryCodesIssued: issued };
}

const WRONG_CURRENT = "Your current password is not correct.";

/**
 * Changes the caller's password. The current password is required (a guess at it counts against
 * the same throttle as sign-in), the new one must meet the policy, and every OTHER session of the
 * account ends in the same transaction, so a thief holding one is out on their next request.
 */
export async function changePassword(
  user: CurrentUser,
  input: TChangePasswordInput,
  context: RequestContext,
): Promise<{ otherSessionsEnded: number }> {
  const record = await db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { passwordHash: true, email: true, name: true },
  });
  const begun = await beginAttempt({ email: record.email, ip: context.ip });
  if (!begun.ok) throw new AppError("rate_limited", throttledMessage(begun.refusal.retryAfterMs));
  if (!(await verifyPassword(record.passwordHash, input.currentPassword))) {
    const lock = await recordFailure(begun.attempt);
    if (lock) throw new AppError("rate_limited", throttledMessage(lock.retryAfterMs));
    throw new AppError("invalid_input", WRONG_CURRENT, { currentPassword: WRONG_CURRENT });
  }
  await recordSuccess(begun.attempt, { signedIn: false });
  assertPasswordPolicy(input.password, record);
  if (input.password === input.currentPassword) {
    const same = "Your new password must be different from the current one.";
    throw new AppError("invalid_input", same, { password: same });
  }
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const now = new Date();
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: now } });
    const ended = await tx.session.updateMany({
      where: { userId: user.id, revokedAt: null, id: { not: user.sessionId } },
      data: { revokedAt: now },
    });
    await recordAudit(tx, {
      action: "auth.password.changed",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "User", id: user.id },
      changes: { otherSessionsEnded: ended.count },
    });
    return { otherSessionsEnded: ended.count };
  });
}

/** A new batch of recovery codes for the caller; every earlier code stops working. Shown once. */
export async function regenerateRecoveryCodes(user: CurrentUser, context: RequestContext): Promise<{ codes: string[] }> {
  const batch = await newRecoveryCodeBatch();
  await db.$transaction(async (tx) => {
    const { replaced } = await storeRecoveryCodes(tx, user.id, batch.hashes);
    await recordAudit(tx, {
      action: "auth.recovery_codes.regenerated",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "User", id: user.id },
      changes: { issued: batch.hashes.length, unusedVoided: replaced },
    });
  });
  return { codes: batch.codes };
}
