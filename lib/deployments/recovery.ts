import { db } from "../db/client.ts";
import { leaseMs, runnerId } from "./loop.ts";
import { runDeployment, type RunOptions, type RunResult } from "./runner.ts";

/*
 * Finding deployments that need a runner and claiming them. A deployment in RUNNING or
 * ROLLING_BACK needs one when nobody holds its lease (a manual rollback queued without one) or
 * when its lease expired (its runner died: no heartbeat). The claim is a compare-and-set on
 * (leaseOwner, leaseExpiresAt) as read, so of several instances looking at once exactly one wins.
 * A claim taken over from another runner is recovered (runner.ts takeover: audited, failed before
 * SWITCH with traffic confirmed on the old colour, rolled back from SWITCH on).
 */

export type Claim = { id: string; previousOwner: string | null; previousExpiry: Date | null };

export async function claimDeployments(
  options: {
    owner?: string;
    now?: Date;
    /** Also this runner's own deployments with a live lease (the loop: ones kicked in this process). */
    includeOwn?: boolean;
    /** Deployments this process is already running. */
    exclude?: ReadonlySet<string>;
  } = {},
): Promise<Claim[]> {
  const owner = options.owner ?? runnerId();
  const now = options.now ?? new Date();
  const candidates = await db.deployment.findMany({
    where: {
      status: { in: ["RUNNING", "ROLLING_BACK"] },
      OR: [{ leaseOwner: null }, { leaseExpiresAt: { lt: now } }, ...(options.includeOwn ? [{ leaseOwner: owner }] : [])],
    },
    select: { id: true, leaseOwner: true, leaseExpiresAt: true },
    orderBy: { startedAt: "asc" },
    take: 50,
  });
  const claims: Claim[] = [];
  for (const c of candidates) {
    if (options.exclude?.has(c.id)) continue;
    const { count } = await db.deployment.updateMany({
      where: { id: c.id, status: { in: ["RUNNING", "ROLLING_BACK"] }, leaseOwner: c.leaseOwner, leaseExpiresAt: c.leaseExpiresAt },
      data: { leaseOwner: owner, leaseExpiresAt: new Date(Date.now() + leaseMs()) },
    });
    if (count === 1) claims.push({ id: c.id, previousOwner: c.leaseOwner, previousExpiry: c.leaseExpiresAt });
  }
  return claims;
}

/** Runs a claimed deployment: recovered when it was taken over from another runner. */
export function runClaim(claim: Claim, owner: string, options: Omit<RunOptions, "owner" | "takeover"> = {}): Promise<RunResult> {
  const takeover =
    claim.previousOwner && claim.previousOwner !== owner ? { previousOwner: claim.previousOwner, leaseExpiredAt: claim.previousExpiry } : undefined;
  return runDeployment(claim.id, { ...options, owner, takeover });
}

/**
 * Recovers now every deployment whose runner died (and runs any waiting without a runner), each
 * to its end. What the loop does every few seconds; tests and scripts call it directly.
 */
export async function recoverDeployments(
  options: Omit<RunOptions, "owner" | "takeover"> & { owner?: string; now?: Date } = {},
): Promise<{ id: string; result: RunResult }[]> {
  const { owner = runnerId(), now, ...run } = options;
  const claims = await claimDeployments({ owner, now });
  return Promise.all(claims.map(async (c) => ({ id: c.id, result: await runClaim(c, owner, run) })));
}
