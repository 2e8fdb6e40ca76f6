import { createHash } from "node:crypto";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "../db/client.ts";
import { rateLimiterStore } from "../db/rate-limiter-store.ts";

/**
 * Sign-in throttling, shared by every server instance through the RateLimiterFlexible table.
 *
 * - Per account (keyed by the normalised email, so an unknown email is counted exactly like a real
 *   one and the answers cannot tell them apart): 5 failed attempts lock it for 5 minutes; each
 *   further lockout within a day doubles that, up to an hour. A completed sign-in resets it.
 * - Per client IP: 20 failed attempts in a 15-minute window, whichever accounts they were for.
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

function positiveInt(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const store = { storeClient: rateLimiterStore(db), tableName: "RateLimiterFlexible" };
const accountFailures = new RateLimiterPrisma({
  ...store,
  keyPrefix: "signin-account",
  points: ACCOUNT_MAX_FAILURES,
  duration: ACCOUNT_FAILURE_WINDOW_S,
  // One limiter sweeping expired rows is enough: they all share the table.
  clearExpiredByTimeout: true,
});
const accountLockouts = new RateLimiterPrisma({
  ...store,
  keyPrefix: "signin-lockouts",
  points: Number.MAX_SAFE_INTEGER,
  duration: LOCKOUT_HISTORY_S,
  clearExpiredByTimeout: false,
});
const ipFailures = new RateLimiterPrisma({
  ...store,
  keyPrefix: "signin-ip",
  points: IP_MAX_FAILURES,
  duration: IP_WINDOW_S,
  clearExpiredByTimeout: false,
});

/** Who is trying: the email as typed (normalised) and the server-verified client IP. */
export type ThrottleSubject = { email: string; ip: string };
export type ThrottleRefusal = { scope: "account" | "ip"; retryAfterMs: number };
export type Attempt = { subject: ThrottleSubject; account: RateLimiterRes; ip: RateLimiterRes };

// Emails are hashed: the key column is short, and the table need not hold addresses people typed.
function accountKey(email: string): string {
  return createHash("sha256").update(email).digest("hex");
}

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

/** Counts one attempt. Refused when the account is locked or the IP has used up its window. */
export async function beginAttempt(
  subject: ThrottleSubject,
): Promise<{ ok: true; attempt: Attempt } | { ok: false; refusal: ThrottleRefusal }> {
  const [account, ip] = await Promise.all([
    consume(accountFailures, accountKey(subject.email)),
    consume(ipFailures, ipKey(subject.ip)),
  ]);
  if (account.over) return { ok: false, refusal: { scope: "account", retryAfterMs: account.res.msBeforeNext } };
  if (ip.over) return { ok: false, refusal: { scope: "ip", retryAfterMs: ip.res.msBeforeNext } };
  return { ok: true, attempt: { subject, account: account.res, ip: ip.res } };
}

export function lockoutSeconds(lockoutsToday: number): number {
  return Math.min(LOCKOUT_BASE_S * 2 ** Math.max(0, lockoutsToday - 1), LOCKOUT_MAX_S);
}

/**
 * The attempt failed: its count stays. When it was the account's last allowed failure the account
 * is locked (for longer each time today); the refusal returned says until when.
 */
export async function recordFailure(attempt: Attempt): Promise<ThrottleRefusal | null> {
  if (attempt.account.consumedPoints >= ACCOUNT_MAX_FAILURES) {
    const key = accountKey(attempt.subject.email);
    const lockouts = await accountLockouts.penalty(key, 1);
    const seconds = lockoutSeconds(lockouts.consumedPoints);
    await accountFailures.block(key, seconds);
    return { scope: "account", retryAfterMs: seconds * 1000 };
  }
  if (attempt.ip.consumedPoints >= IP_MAX_FAILURES) {
    return { scope: "ip", retryAfterMs: attempt.ip.msBeforeNext };
  }
  return null;
}

/**
 * The attempt passed. After the password step its counts are handed back; after the last step
 * (signed in) the account's failures and lockout history are forgotten. The IP count is only
 * handed back, never reset: one good account must not wash away guesses made at others.
 */
export async function recordSuccess(attempt: Attempt, { signedIn }: { signedIn: boolean }): Promise<void> {
  const key = accountKey(attempt.subject.email);
  await Promise.all([
    ipFailures.reward(ipKey(attempt.subject.ip), 1),
    signedIn ? resetAccount(attempt.subject.email) : accountFailures.reward(key, 1),
  ]);
}

/** Forgets an account's failures and lockouts (a completed sign-in by other means, e.g. enrolment). */
export async function resetAccount(email: string): Promise<void> {
  const key = accountKey(email);
  await Promise.all([accountFailures.delete(key), accountLockouts.delete(key)]);
}

/** The one wording for every throttled answer: it never says whether the account exists. */
export function throttledMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
