import { z } from "zod";
import { db } from "../db/client.ts";

/** Admin-managed session policy. Defaults come from the environment so tests and demos can tune them. */
export const ZSessionPolicy = z.object({
  idleMinutes: z.coerce
    .number({ message: "Enter a number of minutes." })
    .int("Use whole minutes.")
    .min(1, "Idle timeout must be at least 1 minute.")
    .max(24 * 60, "Idle timeout can be at most 24 hours."),
  absoluteHours: z.coerce
    .number({ message: "Enter a number of hours." })
    .int("Use whole hours.")
    .min(1, "Sessions must last at least 1 hour.")
    .max(24 * 30, "Sessions can last at most 30 days."),
  stepUpMinutes: z.coerce
    .number({ message: "Enter a number of minutes." })
    .int("Use whole minutes.")
    .min(1, "The step-up window must be at least 1 minute.")
    .max(60, "The step-up window can be at most 60 minutes."),
});
export type TSessionPolicy = z.infer<typeof ZSessionPolicy>;

export const SESSION_POLICY_KEY = "session_policy";

export function defaultSessionPolicy(): TSessionPolicy {
  return {
    idleMinutes: Number(process.env.SESSION_IDLE_MINUTES ?? 30),
    absoluteHours: Number(process.env.SESSION_ABSOLUTE_HOURS ?? 12),
    stepUpMinutes: Number(process.env.STEP_UP_MINUTES ?? 5),
  };
}

const CACHE_MS = 5_000;
let cached: { at: number; value: TSessionPolicy } | undefined;

/**
 * The policy in force. Read on every authenticated request, so it is cached for a few seconds:
 * a change made on one instance reaches every other instance within that time.
 */
export async function sessionPolicy(now = Date.now()): Promise<TSessionPolicy> {
  if (cached && now - cached.at < CACHE_MS) return cached.value;
  const row = await db.setting.findUnique({ where: { key: SESSION_POLICY_KEY } });
  const parsed = row ? ZSessionPolicy.safeParse(JSON.parse(row.value)) : null;
  const value = parsed?.success ? parsed.data : defaultSessionPolicy();
  cached = { at: now, value };
  return value;
}

export function forgetCachedSessionPolicy(): void {
  cached = undefined;
}
