import { recordAudit, type RequestContext } from "../audit/record.ts";
import { openSecret } from "../crypto/secret-box.ts";
import { db } from "../db/client.ts";
import { verifyPassword } from "./password.ts";
import { createSession } from "./sessions.ts";
import { claimTotpStep } from "./totp-claim.ts";
import { issueTicket, readTicket } from "./ticket.ts";
import { matchTotp } from "./totp.ts";

export type SignInFailure = { ok: false; message: string };

// One message for unknown email, wrong password and deactivated account: it must not reveal which.
const BAD_CREDENTIALS = "Email or password is incorrect.";
const BAD_CODE = "That code is not valid. Wait for a new code in your authenticator app and try again.";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function auditFailure(context: RequestContext, email: string, reason: string, userId: string | null) {
  await db.$transaction((tx) =>
    recordAudit(tx, {
      action: "auth.sign_in.failed",
      actor: { id: userId, label: email },
      context,
      target: userId ? { type: "User", id: userId } : undefined,
      changes: { reason },
    }),
  );
}

/** Step one: the password. Success yields a short-lived ticket for step two, not a session. */
export async function checkPassword(
  emailInput: string,
  password: string,
  context: RequestContext,
): Promise<{ ok: true; ticket: string } | SignInFailure> {
  const email = normaliseEmail(emailInput);
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, passwordHash: true, active: true },
  });
  const passwordOk = await verifyPassword(user?.passwordHash, password);
  if (!user || !passwordOk || !user.active) {
    const reason = !user ? "unknown email" : !passwordOk ? "wrong password" : "account deactivated";
    await auditFailure(context, email, reason, user?.id ?? null);
    return { ok: false, message: BAD_CREDENTIALS };
  }
  return { ok: true, ticket: issueTicket(user.id) };
}

/**
 * Step two: the TOTP code. The accepted time step is stored with a compare-and-set, so of two
 * simultaneous submissions of one code exactly one wins; the session is created in the same
 * transaction, with its audit event.
 */
export async function completeSignIn(
  ticket: string,
  code: string,
  context: RequestContext,
): Promise<{ ok: true; token: string; userId: string } | SignInFailure> {
  const userId = readTicket(ticket);
  if (!userId) return { ok: false, message: "Your sign-in took too long. Enter your password again." };
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, active: true, totpSecretEnc: true, totpLastStep: true },
  });
  if (!user?.active || !user.totpSecretEnc) {
    return { ok: false, message: "Your sign-in took too long. Enter your password again." };
  }
  const step = await matchTotp(openSecret(user.totpSecretEnc), code, user.totpLastStep);
  if (step == null) {
    await auditFailure(context, user.email, "wrong or reused TOTP code", user.id);
    return { ok: false, message: BAD_CODE };
  }
  const result = await db.$transaction(async (tx) => {
    if (!(await claimTotpStep(tx, user.id, step))) return null; // another request used this code first
    const session = await createSession(tx, user.id, context);
    await recordAudit(tx, {
      action: "auth.sign_in.succeeded",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "Session", id: session.sessionId },
      changes: { method: "password+totp" },
    });
    return session;
  });
  if (!result) {
    await auditFailure(context, user.email, "TOTP code replayed", user.id);
    return { ok: false, message: BAD_CODE };
  }
  return { ok: true, token: result.token, userId: user.id };
}
