import { recordAudit, type RequestContext } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { prepareEnrolment, recordEnrolment, type EnrolmentClaims, type PendingEnrolment } from "./enrolment.ts";
import { hashPassword } from "./password.ts";
import { assertPasswordPolicy } from "./password-policy.ts";
import type { TAccountSetupInput } from "./schemas.ts";
import { hashSetupToken } from "./setup-tokens.ts";

/**
 * The consuming side of one-time setup links (/setup/<token>). Admins issue ACCOUNT_SETUP links
 * with issueSetupToken (lib/auth/setup-tokens.ts); the server issues the FIRST_ADMIN one on an
 * empty database (lib/auth/first-run.ts). A link is good until it expires or is used, once.
 */
export const LINK_INVALID =
  "This setup link is no longer valid: it has expired or has already been used. Ask an administrator for a new one.";

export type SetupLinkState =
  | { kind: "account-setup"; tokenId: string; user: { id: string; name: string; email: string } }
  | { kind: "first-admin"; tokenId: string }
  /** Unknown, used or expired. */
  | { kind: "invalid" }
  /** A first-admin link once any user exists: as if /setup had never been there. */
  | { kind: "not-found" };

/** First run: the database has no users at all. */
export async function noUsersYet(): Promise<boolean> {
  return (await db.user.findFirst({ select: { id: true } })) === null;
}

export async function inspectSetupToken(token: string, now = new Date()): Promise<SetupLinkState> {
  const row = token
    ? await db.setupToken.findUnique({
        where: { tokenHash: hashSetupToken(token) },
        select: {
          id: true,
          purpose: true,
          usedAt: true,
          expiresAt: true,
          user: { select: { id: true, name: true, email: true, active: true } },
        },
      })
    : null;
  if (row?.purpose === "FIRST_ADMIN" && !(await noUsersYet())) return { kind: "not-found" };
  if (!row || row.usedAt || row.expiresAt <= now) return { kind: "invalid" };
  if (row.purpose === "FIRST_ADMIN") return { kind: "first-admin", tokenId: row.id };
  if (!row.user?.active) return { kind: "invalid" };
  const { id, name, email } = row.user;
  return { kind: "account-setup", tokenId: row.id, user: { id, name, email } };
}

/** Step one of account setup: a password that meets the policy. Nothing is stored yet. */
export async function beginAccountSetup(input: TAccountSetupInput): Promise<PendingEnrolment> {
  const link = await inspectSetupToken(input.token);
  if (link.kind !== "account-setup") throw new AppError("not_found", LINK_INVALID);
  assertPasswordPolicy(input.password, link.user);
  const passwordHash = await hashPassword(input.password);
  return prepareEnrolment({ kind: "account-setup", uid: link.user.id, tokenId: link.tokenId, passwordHash }, link.user.email);
}

/**
 * Step two, after the new app's first code checked out: in one transaction the link is marked used
 * (a compare-and-set: of two tabs finishing at once one wins), the password and authenticator are
 * stored, any older sessions of the account end, and the whole thing is audited.
 */
export async function completeAccountSetup(
  claims: Extract<EnrolmentClaims, { kind: "account-setup" }>,
  enrolment: { step: number; recoveryHashes: readonly string[] },
  context: RequestContext,
  now = new Date(),
): Promise<{ userId: string; enrolledAt: Date }> {
  return db.$transaction(async (tx) => {
    const claimed = await tx.setupToken.updateMany({
      where: { id: claims.tokenId, userId: claims.uid, purpose: "ACCOUNT_SETUP", usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) throw new AppError("not_found", LINK_INVALID);
    const user = await tx.user.update({
      where: { id: claims.uid },
      data: { passwordHash: claims.passwordHash, passwordChangedAt: now },
      select: { id: true, email: true },
    });
    const enrolled = await recordEnrolment(
      tx,
      user,
      { sealedSecret: claims.secret, step: enrolment.step, recoveryHashes: enrolment.recoveryHashes, onlyIfNotEnrolled: false },
      context,
      now,
    );
    if (!enrolled) throw new AppError("not_found", LINK_INVALID); // deactivated meanwhile: roll back
    const ended = await tx.session.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: now } });
    await recordAudit(tx, {
      action: "user.setup_completed",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "User", id: user.id },
      changes: { password: "set", mfa: "enrolled", earlierSessionsEnded: ended.count },
    });
    return { userId: user.id, enrolledAt: enrolled.enrolledAt };
  });
}
