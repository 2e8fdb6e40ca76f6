import { recordAudit, type RequestContext } from "../audit/record.ts";
import { openSecret } from "../crypto/secret-box.ts";
import { db } from "../db/client.ts";
import { notify } from "../notifications/notify.ts";
import { revokeSessionsOf } from "../sessions/service.ts";
import { describeUserAgent } from "../sessions/user-agent.ts";
import { sessionPolicy } from "../settings/session-policy.ts";
import type { CurrentUser } from "./sessions.ts";
import { stepUpThrottle, stepUpThrottledMessage, type ThrottleRefusal } from "./throttle.ts";
import { matchTotp } from "./totp.ts";
import { claimTotpStep } from "./totp-claim.ts";

/**
 * Step-up: sensitive actions (approvals, deployments, security settings, user admin, audit
 * export, compliance sign-off) need a TOTP code entered on this session within the last few
 * minutes (the session policy's step-up window).
 */
export async function hasFreshStepUp(user: CurrentUser, now = new Date()): Promise<boolean> {
  if (!user.stepUpAt) return false;
  const windowMs = (await sessionPolicy()).stepUpMinutes * 60_000;
  return now.getTime() - user.stepUpAt.getTime() <= windowMs;
}

/**
 * The second lockout of a user's step-up within 24 hours (10 wrong codes) signs out every session
 * of that user. One lockout is within reach of a person fumbling with their phone; two are not,
 * while someone holding a stolen session cookie would otherwise keep guessing at 5 codes per
 * lockout for as long as the session lives. Signing in again needs password and authenticator,
 * which the cookie thief lacks; the real person loses only a sign-in.
 */
export const REVOKE_SESSIONS_AT_LOCKOUT = 2;

const BAD_CODE = "That code is not valid. Wait for a new code in your authenticator app and try again.";
const SIGNED_OUT = "Too many wrong codes. For your safety you have been signed out everywhere. Sign in again.";

export type StepUpResult = { ok: true } | { ok: false; message: string; signedOut?: true };

/**
 * Checks a TOTP code for the caller's session and, when it is right, opens the step-up window.
 *
 * Throttled per user (shared by all their sessions) and per IP through `stepUpThrottle`: each
 * attempt is counted before the code is looked at, so a locked user's code is not checked at all,
 * right or wrong, and a parallel burst gets at most 5 codes checked. The code's time step is
 * claimed with a compare-and-set, so a code works once (also across sign-in and step-up).
 * Recovery codes are not accepted here; if they ever are, they must go through the same throttle.
 */
export async function performStepUp(user: CurrentUser, code: string, context: RequestContext): Promise<StepUpResult> {
  const begun = await stepUpThrottle.begin(user.id, context.ip);
  if (!begun.ok) {
    await recordThrottled(user, context, begun.refusal, "refused while throttled");
    return { ok: false, message: stepUpThrottledMessage(begun.refusal.retryAfterMs) };
  }
  const record = await db.user.findUnique({
    where: { id: user.id },
    select: { totpSecretEnc: true, totpLastStep: true },
  });
  const step = record?.totpSecretEnc
    ? await matchTotp(openSecret(record.totpSecretEnc), code, record.totpLastStep)
    : null;
  const ok =
    step != null &&
    (await db.$transaction(async (tx) => {
      if (!(await claimTotpStep(tx, user.id, step))) return false;
      await tx.session.update({ where: { id: user.sessionId }, data: { stepUpAt: new Date() } });
      await recordAudit(tx, {
        action: "auth.step_up.succeeded",
        actor: { id: user.id, label: user.email },
        context,
        target: { type: "Session", id: user.sessionId },
      });
      return true;
    }));
  if (ok) {
    await stepUpThrottle.recordSuccess(begun.attempt, { reset: true });
    return { ok: true };
  }
  await db.$transaction((tx) =>
    recordAudit(tx, {
      action: "auth.step_up.failed",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "Session", id: user.sessionId },
      changes: { reason: step == null ? "wrong code" : "code already used" },
    }),
  );
  const lock = await stepUpThrottle.recordFailure(begun.attempt);
  if (!lock) return { ok: false, message: BAD_CODE };
  if (lock.scope === "ip") {
    await recordThrottled(user, context, lock, "too many wrong codes from this address");
    return { ok: false, message: stepUpThrottledMessage(lock.retryAfterMs) };
  }
  const signedOut = await lockOut(user, context, lock);
  return signedOut
    ? { ok: false, message: SIGNED_OUT, signedOut: true }
    : { ok: false, message: stepUpThrottledMessage(lock.retryAfterMs) };
}

function throttledChanges(refusal: ThrottleRefusal, reason: string): Record<string, unknown> {
  return {
    scope: refusal.scope,
    reason,
    retryAfterSeconds: Math.ceil(refusal.retryAfterMs / 1000),
    ...(refusal.lockouts ? { lockoutsToday: refusal.lockouts } : {}),
  };
}

async function recordThrottled(user: CurrentUser, context: RequestContext, refusal: ThrottleRefusal, reason: string) {
  await db.$transaction((tx) =>
    recordAudit(tx, {
      action: "auth.step_up.throttled",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "Session", id: user.sessionId },
      changes: throttledChanges(refusal, reason),
    }),
  );
}

/**
 * The user's step-up has just been locked: audited, the user told (in-app and by email when SMTP
 * is set up, so the real person hears of it even when someone else holds the session), and from
 * the second lockout in 24 hours every session of the user signed out. Returns whether it was.
 */
async function lockOut(user: CurrentUser, context: RequestContext, lock: ThrottleRefusal): Promise<boolean> {
  const revoke = (lock.lockouts ?? 1) >= REVOKE_SESSIONS_AT_LOCKOUT;
  const where = `${describeUserAgent(context.userAgent)}, IP address ${context.ip || "unknown"}`;
  return db.$transaction(async (tx) => {
    await recordAudit(tx, {
      action: "auth.step_up.throttled",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "Session", id: user.sessionId },
      changes: throttledChanges(lock, "too many wrong codes"),
    });
    const sessionsRevoked = revoke ? await revokeSessionsOf(tx, user.id) : 0;
    if (revoke) {
      await recordAudit(tx, {
        action: "session.revoked_all",
        actor: { id: user.id, label: user.email },
        context,
        target: { type: "User", id: user.id },
        changes: { count: sessionsRevoked, by: "step-up lockout", lockoutsToday: lock.lockouts },
      });
    }
    await notify(tx, [user.id], {
      kind: "auth.step_up_locked",
      title: "Someone entered wrong authentication codes on your session",
      body: revoke
        ? `Wrong authentication codes were entered again (${where}), so every session of your account has been signed out. ` +
          "If this was not you, change your password after signing in."
        : `Wrong authentication codes were entered when confirming a sensitive action (${where}). ` +
          `Confirming is paused for ${Math.ceil(lock.retryAfterMs / 60_000)} minutes. ` +
          "If this was not you, sign out your other sessions and change your password.",
      link: "/account/sessions",
    });
    return revoke;
  });
}
