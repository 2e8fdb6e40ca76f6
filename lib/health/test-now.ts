import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import { rateLimiterStore } from "../db/rate-limiter-store.ts";
import { AppError } from "../errors.ts";
import { checkConfigOf, checkTarget, probeSpecOf, type CheckConfig, type TCheckIdInput, type TTestCheckInput } from "./check-schemas.ts";
import { assertMayManageHealth } from "./checks.ts";
import { probeOnce } from "./probe.ts";
import type { ProbeResult, ProbeSpec } from "./types.ts";

/*
 * "Test now": one probe, right away, of a saved check or of the values on the form before they are
 * saved. Nothing is stored (no sample, no state change, no event): it answers "would this check
 * pass?". It makes an outbound request on demand, so it is health.manage only and limited per user
 * (TEST_NOW_PER_MINUTE in a rolling minute, shared by all instances through the rate-limit table).
 */

export const TEST_NOW_PER_MINUTE = 10;

const limiter = new RateLimiterPrisma({
  storeClient: rateLimiterStore(db),
  tableName: "RateLimiterFlexible",
  keyPrefix: "health-test-now",
  points: TEST_NOW_PER_MINUTE,
  duration: 60,
  // lib/auth/throttle.ts sweeps expired rows of the shared table.
  clearExpiredByTimeout: false,
});

/** A probe result as the form shows it (ISO times: it crosses to the browser). */
export type TestNowResult = {
  target: string;
  at: string;
  ok: boolean;
  latencyMs: number;
  statusCode: number | null;
  error: string;
  certExpiresAt: string | null;
  /** The certificate expires within the check's warning days (or has expired). */
  certExpiring: boolean;
};

async function takeToken(userId: string): Promise<void> {
  try {
    await limiter.consume(userId);
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new AppError("rate_limited", `You have tested ${TEST_NOW_PER_MINUTE} times in the last minute. Try again in ${seconds} s.`);
    }
    throw err;
  }
}

async function run(spec: ProbeSpec, config: CheckConfig, probe: typeof probeOnce): Promise<TestNowResult> {
  // A hard stop a little after the check's own timeout, whatever the probe does with it.
  const result: ProbeResult = await probe(spec, AbortSignal.timeout(config.timeoutMs + 1000));
  const expires = result.certExpiresAt;
  return {
    target: checkTarget(config),
    at: result.at.toISOString(),
    ok: result.ok,
    latencyMs: Math.round(result.latencyMs * 10) / 10,
    statusCode: result.statusCode,
    error: result.error,
    certExpiresAt: expires ? expires.toISOString() : null,
    certExpiring: !!expires && (expires.getTime() <= Date.now() || (config.tlsExpiryWarnDays > 0 && expires.getTime() - Date.now() <= config.tlsExpiryWarnDays * 86_400_000)),
  };
}

/** Probes the form's (unsaved) values once. */
export async function testCheckConfig(
  actor: CurrentUser,
  input: TTestCheckInput,
  context: RequestContext,
  probe: typeof probeOnce = probeOnce,
): Promise<TestNowResult> {
  await assertMayManageHealth(actor, "health.check_test", context);
  await takeToken(actor.id);
  const config = checkConfigOf(input);
  return run(probeSpecOf("", config), config, probe);
}

/** Probes a saved check once, as it is saved (paused or not). */
export async function testSavedCheck(
  actor: CurrentUser,
  input: TCheckIdInput,
  context: RequestContext,
  probe: typeof probeOnce = probeOnce,
): Promise<TestNowResult> {
  await assertMayManageHealth(actor, "health.check_test", context);
  const row = await db.healthCheck.findUnique({ where: { id: input.checkId } });
  if (!row) throw new AppError("not_found", "That check no longer exists: someone may have deleted it.");
  await takeToken(actor.id);
  const config = checkConfigOf({ ...row, method: row.method as CheckConfig["method"] });
  return run(probeSpecOf(row.id, config), config, probe);
}
