import { recordAudit, type RequestContext } from "../audit/record.ts";
import { openSecret } from "../crypto/secret-box.ts";
import { db } from "../db/client.ts";
import { prepareEnrolment, type PendingEnrolment } from "./enrolment.ts";
import { verifyPassword } from "./password.ts";
import { lookupHashFor, spendRecoveryCode } from "./recovery-codes.ts";
import { startSession } from "./session-start.ts";
import {
  beginAttempt,
  recordFailure,
  recordSuccess,
  throttledMessage,
  type Attempt,
  type ThrottleRefusal,
} from "./throttle.ts";
import { claimTotpStep } from "./totp-claim.ts";
import { issueTicket, readTicket } from "./ticket.ts";
import { matchTotp } from "./totp.ts";

export type SignInFailure = { ok: false; message: string };
export type SignedIn = { ok: true; token: string; userId: string };

// One message for unknown email, wrong password and deactivated account: it must not reveal which.
const BAD_CREDENTIALS = "Email or password is incorrect.";
const BAD_CODE = "That code is not valid. Wait for a new code in your authenticator app and try again.";
const BAD_RECOVERY_CODE = "That recovery code is not valid or has already been used.";
const START_AGAIN = "Your sign-in took too long. Enter your password again.";

type Step = "password" | "code" | "recovery code";
type Who = { email: string; userId: string | null };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function audit(
  action: "auth.sign_in.failed" | "auth.sign_in.throttled",
  context: RequestContext,
  who: Who,
  changes: Record<string, unknown>,
): Promise<void> {
  await db.$transaction((tx) =>
    recordAudit(tx, {
      action,
      actor: { id: who.userId, label: who.email },
      context,
      target: who.userId ? { type: "User", id: who.userId } : undefined,
      changes,
    }),
  );
}

async function throttled(context: RequestContext, who: Who, step: Step, refusal: ThrottleRefusal, why: string) {
  await audit("auth.sign_in.throttled", context, who, {
    step,
    scope: refusal.scope,
    reason: why,
    retryAfterSeconds: Math.ceil(refusal.retryAfterMs / 1000),
  });
  return { ok: false as const, message: throttledMessage(refusal.retryAfterMs) };
}

/** A failed attempt: audited with its reason, counted, and answered with a lockout if it was the last allowed. */
async function failed(
  context: RequestContext,
  who: Who,
  step: Step,
  attempt: Attempt,
  reason: string,
  message: string,
): Promise<SignInFailure> {
  await audit("auth.sign_in.failed", context, who, { step, reason });
  const lock = await recordFailure(attempt);
  if (lock) return throttled(context, who, step, lock, "too many failed attempts");
  return { ok: false, message };
}

export type PasswordStepResult =
  | { ok: true; next: "code"; ticket: string }
  /** Right password, but no authenticator yet: enrolment comes before any session. */
  | { ok: true; next: "enrol"; enrolment: PendingEnrolment }
  | SignInFailure;

/** Step one: the password. Success yields a short-lived ticket for step two, never a session. */
export async function checkPassword(
  emailInput: string,
  password: string,
  context: RequestContext,
): Promise<PasswordStepResult> {
  const email = normaliseEmail(emailInput);
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, passwordHash: true, active: true, totpSecretEnc: true },
  });
  const who = { email, userId: user?.id ?? null };
  const begun = await beginAttempt({ email, ip: context.ip });
  if (!begun.ok) return throttled(context, who, "password", begun.refusal, "refused while throttled");
  const passwordOk = await verifyPassword(user?.passwordHash, password);
  if (!user || !passwordOk || !user.active) {
    const reason = !user ? "unknown email" : !passwordOk ? "wrong password" : "account deactivated";
    return failed(context, who, "password", begun.attempt, reason, BAD_CREDENTIALS);
  }
  await recordSuccess(begun.attempt, { signedIn: false });
  if (!user.totpSecretEnc) {
    return { ok: true, next: "enrol", enrolment: await prepareEnrolment({ kind: "sign-in", uid: user.id }, email) };
  }
  return { ok: true, next: "code", ticket: issueTicket(user.id) };
}

async function ticketHolder(ticket: string) {
  const userId = readTicket(ticket);
  if (!userId) return null;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, active: true, totpSecretEnc: true, totpLastStep: true },
  });
  return user?.active && user.totpSecretEnc ? { ...user, totpSecretEnc: user.totpSecretEnc } : null;
}

/**
 * Step two: the TOTP code. The accepted time step is stored with a compare-and-set, so of two
 * simultaneous submissions of one code exactly one wins; the session is created in the same
 * transaction, with its audit event.
 */
export async function completeSignIn(ticket: string, code: string, context: RequestContext): Promise<SignedIn | SignInFailure> {
  const user = await ticketHolder(ticket);
  if (!user) return { ok: false, message: START_AGAIN };
  const who = { email: user.email, userId: user.id };
  const begun = await beginAttempt({ email: user.email, ip: context.ip });
  if (!begun.ok) return throttled(context, who, "code", begun.refusal, "refused while throttled");
  const step = await matchTotp(openSecret(user.totpSecretEnc), code, user.totpLastStep);
  if (step == null) return failed(context, who, "code", begun.attempt, "wrong or reused TOTP code", BAD_CODE);
  const session = await db.$transaction(async (tx) => {
    if (!(await claimTotpStep(tx, user.id, step))) return null; // another request used this code first
    return startSession(tx, user, context, "password+totp");
  });
  if (!session) return failed(context, who, "code", begun.attempt, "TOTP code replayed", BAD_CODE);
  await recordSuccess(begun.attempt, { signedIn: true });
  return { ok: true, token: session.token, userId: user.id };
}

/**
 * Step two with a recovery code instead of the app. The code is spent by a conditional update in
 * the transaction that creates the session: used once, and of two simultaneous uses one wins.
 */
export async function completeRecoverySignIn(
  ticket: string,
  recoveryCode: string,
  context: RequestContext,
): Promise<SignedIn | SignInFailure> {
  const user = await ticketHolder(ticket);
  if (!user) return { ok: false, message: START_AGAIN };
  const who = { email: user.email, userId: user.id };
  const begun = await beginAttempt({ email: user.email, ip: context.ip });
  if (!begun.ok) return throttled(context, who, "recovery code", begun.refusal, "refused while throttled");
  const codeHash = await lookupHashFor(user.id, recoveryCode);
  const session =
    codeHash &&
    (await db.$transaction(async (tx) => {
      const spent = await spendRecoveryCode(tx, user.id, codeHash);
      if (!spent) return null;
      await recordAudit(tx, {
        action: "auth.recovery_code.used",
        actor: { id: user.id, label: user.email },
        context,
        target: { type: "User", id: user.id },
        changes: { remaining: spent.remaining },
      });
      return startSession(tx, user, context, "password+recovery code");
    }));
  if (!session) {
    return failed(context, who, "recovery code", begun.attempt, "wrong or used recovery code", BAD_RECOVERY_CODE);
  }
  await recordSuccess(begun.attempt, { signedIn: true });
  return { ok: true, token: session.token, userId: user.id };
}
