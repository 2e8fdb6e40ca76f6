import { createHash } from "node:crypto";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "../db/client.ts";
import { rateLimiterStore } from "../db/rate-limiter-store.ts";

/**
 * Failure throttling, shared by every server instance through the RateLimiterFlexible table.
 * One machinery, two instances with their own counters:
 *
 * Sign-in (password, TOTP and recovery-code steps, and the current password when changing it):
 * - Per account (keyed by the normalised email, so an unknown email is counted exactly like a real
 *   one and the answers cannot tell them apart): 5 failed attempts lock it for 5 minutes; each
 *   further lockout within a day doubles that, up to an hour. A completed sign-in resets it.
 * - Per client IP: 20 failed attempts in a 15-minute window, whichever accounts they were for.
 *
 * Step-up (re-entering a TOTP code on a signed-in session, lib/auth/step-up.ts):
 * - Per user (keyed by user id, so every session of the user shares it): the same 5 failures,
 *   lockout and doubling. A successful step-up resets it.
 * - Per client IP: 20 failed attempts in 15 minutes, whichever users they were for.
 *
 * Every attempt is counted BEFORE its password or code is checked and handed back when it passes,
 * so a burst of parallel guesses cannot all slip through while the first ones are being verified.
 */
export const ACCOUNT_MAX_FAILURES = 5;
const ACCOUNT_FAILURE_WINDOW_S = 60 * 60;
const LOCKOUT_BASE_S = 5 * 60;
const LOCKOUT_MAX_S = 60 * 60;
const LOCKOUT_HISTORY_S = 24 * 60 * 60;
export const IP_WINDOW_S = 15 * 60;
/** Raised only where many tests share one address (the end-to-end server); 20 in production. */
export const IP_MAX_FAILURES = positiveInt(process.env.SIGN_IN_IP_MAX_FAILURES, 20);
/** The same for step-up codes (`STEP_UP_IP_MAX_FAILURES`); 20 in production. */
export const STEP_UP_IP_MAX_FAILURES = positiveInt(process.env.STEP_UP_IP_MAX_FAILURES, 20);

function positiveInt(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export type ThrottleRefusal = {
  scope: "account" | "ip";
  retryAfterMs: number;
  /** Set when this refusal starts an account lockout: how many the account has had in 24 h, this one included. */
  lockouts?: number;
};
/** One counted attempt: the account key and IP it was counted under, and the counts after it. */
export type Attempt = { key: string; ip: string; account: RateLimiterRes; ipCount: RateLimiterRes };

export type Throttle = {
  /** Counts one attempt. Refused when the account is locked or the IP has used up its window. */
  begin(accountKey: string, ip: string): Promise<{ ok: true; attempt: Attempt } | { ok: false; refusal: ThrottleRefusal }>;
  /**
   * The attempt failed: its count stays. When it was the account's last allowed failure the account
   * is locked (for longer each time today); the refusal returned says until when.
   */
  recordFailure(attempt: Attempt): Promise<ThrottleRefusal | null>;
  /**
   * The attempt passed: its counts are handed back, or with `reset` the account's failures and
   * lockout history are forgotten. The IP count is only handed back, never reset: one good account
   * must not wash away guesses made at others.
   */
  recordSuccess(attempt: Attempt, options: { reset: boolean }): Promise<void>;
  /** Forgets an account's failures and lockouts. */
  reset(accountKey: string): Promise<void>;
};

const store = { storeClient: rateLimiterStore(db), tableName: "RateLimiterFlexible" };

function ipKey(ip: string): string {
  return ip || "unknown";
}

async function consume(limiter: RateLimiterPrisma, key: string): Promise<{ over: boolean; res: RateLimiterRes }> {
  try {
    return { over: false, res: await limiter.consume(key) };
  } catch (err) {
    // rate-limiter-flexible rejects with a RateLimiterRes when over the limit, an Error on failure.
    if (err instanceof RateLimiterRes) return { over: true, res: err };
    throw err;
  }
}

export function lockoutSeconds(lockoutsToday: number): number {
  return Math.min(LOCKOUT_BASE_S * 2 ** Math.max(0, lockoutsToday - 1), LOCKOUT_MAX_S);
}

/** Rows are keyed `<prefix>-account:<key>`, `<prefix>-lockouts:<key>` and `<prefix>-ip:<ip>`. */
function createThrottle(options: { prefix: string; ipMaxFailures: number; sweep: boolean }): Throttle {
  const accountFailures = new RateLimiterPrisma({
    ...store,
    keyPrefix: `${options.prefix}-account`,
    points: ACCOUNT_MAX_FAILURES,
    duration: ACCOUNT_FAILURE_WINDOW_S,
    // One limiter sweeping expired rows is enough: they all share the table.
    clearExpiredByTimeout: options.sweep,
  });
  const accountLockouts = new RateLimiterPrisma({
    ...store,
    keyPrefix: `${options.prefix}-lockouts`,
    points: Number.MAX_SAFE_INTEGER,
    duration: LOCKOUT_HISTORY_S,
    clearExpiredByTimeout: false,
  });
  const ipFailures = new RateLimiterPrisma({
    ...store,
    keyPrefix: `${options.prefix}-ip`,
    points: options.ipMaxFailures,
    duration: IP_WINDOW_S,
    clearExpiredByTimeout: false,
  });

  const reset = async (key: string) => {
    await Promise.all([accountFailures.delete(key), accountLockouts.delete(key)]);
  };

  return {
    async begin(key, ip) {
      const [account, ipCount] = await Promise.all([consume(accountFailures, key), consume(ipFailures, ipKey(ip))]);
      if (account.over) return { ok: false, refusal: { scope: "account", retryAfterMs: account.res.msBeforeNext } };
      if (ipCount.over) return { ok: false, refusal: { scope: "ip", retryAfterMs: ipCount.res.msBeforeNext } };
      return { ok: true, attempt: { key, ip, account: account.res, ipCount: ipCount.res } };
    },
    async recordFailure(attempt) {
      if (attempt.account.consumedPoints >= ACCOUNT_MAX_FAILURES) {
        const lockouts = (await accountLockouts.penalty(attempt.key, 1)).consumedPoints;
        const seconds = lockoutSeconds(lockouts);
        await accountFailures.block(attempt.key, seconds);
        return { scope: "account", retryAfterMs: seconds * 1000, lockouts };
      }
      if (attempt.ipCount.consumedPoints >= options.ipMaxFailures) {
        return { scope: "ip", retryAfterMs: attempt.ipCount.msBeforeNext };
      }
      return null;
    },
    async recordSuccess(attempt, { reset: forget }) {
      await Promise.all([
        ipFailures.reward(ipKey(attempt.ip), 1),
        forget ? reset(attempt.key) : accountFailures.reward(attempt.key, 1),
      ]);
    },
    reset,
  };
}

const signInThrottle = createThrottle({ prefix: "signin", ipMaxFailures: IP_MAX_FAILURES, sweep: true });

/** Step-up codes on a signed-in session, keyed by user id (lib/auth/step-up.ts). */
export const stepUpThrottle = createThrottle({ prefix: "stepup", ipMaxFailures: STEP_UP_IP_MAX_FAILURES, sweep: false });

/** Who is trying to sign in: the email as typed (normalised) and the server-verified client IP. */
export type ThrottleSubject = { email: string; ip: string };

// Emails are hashed: the key column is short, and the table need not hold addresses people typed.
function accountKey(email: string): string {
  return createHash("sha256").update(email).digest("hex");
}

/** Counts one sign-in attempt. Refused when the account is locked or the IP has used up its window. */
export function beginAttempt(subject: ThrottleSubject) {
  return signInThrottle.begin(accountKey(subject.email), subject.ip);
}

/** A sign-in attempt failed; returns the refusal when it locked the account (or used up the IP's window). */
export function recordFailure(attempt: Attempt): Promise<ThrottleRefusal | null> {
  return signInThrottle.recordFailure(attempt);
}

/**
 * A sign-in attempt passed. After the password step its counts are handed back; after the last
 * step (signed in) the account's failures and lockout history are forgotten.
 */
export function recordSuccess(attempt: Attempt, { signedIn }: { signedIn: boolean }): Promise<void> {
  return signInThrottle.recordSuccess(attempt, { reset: signedIn });
}

/** Forgets an account's sign-in failures and lockouts (a completed sign-in by other means, e.g. enrolment). */
export function resetAccount(email: string): Promise<void> {
  return signInThrottle.reset(accountKey(email));
}

function inMinutes(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** The one wording for every throttled sign-in answer: it never says whether the account exists. */
export function throttledMessage(retryAfterMs: number): string {
  return `Too many failed sign-in attempts. Try again in ${inMinutes(retryAfterMs)}.`;
}

/** The wording for a throttled step-up. */
export function stepUpThrottledMessage(retryAfterMs: number): string {
  return `Too many wrong codes. Try again in ${inMinutes(retryAfterMs)}.`;
}
