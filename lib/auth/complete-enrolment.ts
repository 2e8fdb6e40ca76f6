import type { RequestContext } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { firstCodeStep, readEnrolment, recordEnrolment, type EnrolmentClaims } from "./enrolment.ts";
import { completeFirstAdmin } from "./first-run.ts";
import { issueHandoff } from "./handoff.ts";
import { newRecoveryCodeBatch } from "./recovery-codes.ts";
import type { SignInMethod } from "./session-start.ts";
import { completeAccountSetup } from "./setup-links.ts";

export type EnrolmentDone = { recoveryCodes: string[]; handoff: string };

const EXPIRED = "This setup step took too long. Start again.";
const WRONG_CODE =
  "That code does not match. Check that your phone's clock is set automatically, wait for a new code and try again.";

/**
 * The last step of every enrolment: the first code from the new app proves it is set up; then the
 * flow's own writes happen in one transaction and the person gets their recovery codes (to show
 * once) and a handoff ticket that becomes their session after they have saved them.
 */
export async function completeEnrolment(ticket: string, code: string, context: RequestContext): Promise<EnrolmentDone> {
  const claims = readEnrolment(ticket);
  if (!claims) throw new AppError("invalid_input", EXPIRED);
  const step = await firstCodeStep(claims.secret, code);
  if (step == null) throw new AppError("invalid_input", WRONG_CODE, { code: WRONG_CODE });
  const batch = await newRecoveryCodeBatch();
  const enrolment = { step, recoveryHashes: batch.hashes };
  const { userId, enrolledAt, method } = await applyEnrolment(claims, enrolment, context);
  return { recoveryCodes: batch.codes, handoff: issueHandoff(userId, enrolledAt, method) };
}

async function applyEnrolment(
  claims: EnrolmentClaims,
  enrolment: { step: number; recoveryHashes: readonly string[] },
  context: RequestContext,
): Promise<{ userId: string; enrolledAt: Date; method: SignInMethod }> {
  switch (claims.kind) {
    case "sign-in":
      return { ...(await enrolAtSignIn(claims, enrolment, context)), method: "password+new authenticator" };
    case "account-setup":
      return { ...(await completeAccountSetup(claims, enrolment, context)), method: "setup link" };
    case "first-admin":
      return { ...(await completeFirstAdmin(claims, enrolment, context)), method: "first admin setup" };
  }
}

/** MFA is mandatory: a password-only account enrols at sign-in, before any session exists. */
async function enrolAtSignIn(
  claims: Extract<EnrolmentClaims, { kind: "sign-in" }>,
  enrolment: { step: number; recoveryHashes: readonly string[] },
  context: RequestContext,
): Promise<{ userId: string; enrolledAt: Date }> {
  const user = await db.user.findUnique({ where: { id: claims.uid }, select: { id: true, email: true } });
  if (!user) throw new AppError("invalid_input", EXPIRED);
  const enrolled = await db.$transaction((tx) =>
    recordEnrolment(tx, user, { sealedSecret: claims.secret, ...enrolment, onlyIfNotEnrolled: true }, context),
  );
  if (!enrolled) {
    throw new AppError("conflict", "This account already has an authenticator app. Sign in with a code from it.");
  }
  return { userId: user.id, enrolledAt: enrolled.enrolledAt };
}
