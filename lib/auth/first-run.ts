import { recordAudit, type RequestContext } from "../audit/record.ts";
import { db, type Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { prepareEnrolment, recordEnrolment, type EnrolmentClaims, type PendingEnrolment } from "./enrolment.ts";
import { hashPassword } from "./password.ts";
import { assertPasswordPolicy } from "./password-policy.ts";
import type { TFirstAdminInput } from "./schemas.ts";
import { inspectSetupToken } from "./setup-links.ts";
import { issueSetupToken } from "./setup-tokens.ts";

/**
 * First run: on a database with no users the server logs a one-time link; its holder creates the
 * first administrator at /setup. Once anyone exists, /setup and every first-admin link are 404.
 */
const FIRST_ADMIN_TOKEN_TTL_MS = 24 * 3_600_000;

export const FIRST_ADMIN_TAKEN = "The first administrator has already been created. Sign in instead.";

/**
 * Called once at server start. While no user exists it retires any earlier first-admin tokens and
 * issues a new one (returned once, for the log; only its hash is stored). Null otherwise.
 */
export async function offerFirstAdminSetup(client: Db, now = new Date()): Promise<{ token: string; expiresAt: Date } | null> {
  return client.$transaction(async (tx) => {
    // Retiring first (a write) also takes SQLite's write lock before the read below.
    await tx.setupToken.updateMany({ where: { purpose: "FIRST_ADMIN", usedAt: null }, data: { usedAt: now } });
    if (await tx.user.findFirst({ select: { id: true } })) return null;
    return issueSetupToken(tx, { purpose: "FIRST_ADMIN", ttlMs: FIRST_ADMIN_TOKEN_TTL_MS }, now);
  });
}

/** Step one: who the administrator is and their password. Nothing is stored until enrolment. */
export async function beginFirstAdmin(input: TFirstAdminInput): Promise<PendingEnrolment> {
  const link = await inspectSetupToken(input.token);
  if (link.kind === "not-found") throw new AppError("not_found", FIRST_ADMIN_TAKEN);
  if (link.kind !== "first-admin") {
    const message = "That setup token is not valid. Use the newest one from the server log (a new one is logged at each start).";
    throw new AppError("invalid_input", message, { token: message });
  }
  assertPasswordPolicy(input.password, input);
  const passwordHash = await hashPassword(input.password);
  return prepareEnrolment(
    { kind: "first-admin", tokenId: link.tokenId, name: input.name, email: input.email, passwordHash },
    input.email,
  );
}

/**
 * Step two: in one transaction the token is spent (compare-and-set: two people with the same token
 * get one administrator), the database is checked to be still empty, every other first-admin token
 * is retired (so two tokens from two instances cannot both be used), and the administrator is
 * created with their authenticator and recovery codes.
 */
export async function completeFirstAdmin(
  claims: Extract<EnrolmentClaims, { kind: "first-admin" }>,
  enrolment: { step: number; recoveryHashes: readonly string[] },
  context: RequestContext,
  now = new Date(),
): Promise<{ userId: string; enrolledAt: Date }> {
  return db.$transaction(async (tx) => {
    const claimed = await tx.setupToken.updateMany({
      where: { id: claims.tokenId, purpose: "FIRST_ADMIN", usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1 || (await tx.user.count()) > 0) throw new AppError("conflict", FIRST_ADMIN_TAKEN);
    await tx.setupToken.updateMany({ where: { purpose: "FIRST_ADMIN", usedAt: null }, data: { usedAt: now } });
    const user = await tx.user.create({
      data: { email: claims.email, name: claims.name, role: "ADMIN", passwordHash: claims.passwordHash, passwordChangedAt: now },
      select: { id: true, email: true },
    });
    const enrolled = await recordEnrolment(
      tx,
      user,
      { sealedSecret: claims.secret, step: enrolment.step, recoveryHashes: enrolment.recoveryHashes, onlyIfNotEnrolled: true },
      context,
      now,
    );
    if (!enrolled) throw new AppError("conflict", FIRST_ADMIN_TAKEN);
    await recordAudit(tx, {
      action: "setup.first_admin_created",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "User", id: user.id },
      changes: { email: claims.email, name: claims.name, role: "ADMIN" },
    });
    return { userId: user.id, enrolledAt: enrolled.enrolledAt };
  });
}
