import { db } from "../db/client.ts";
import { sessionPolicy } from "../settings/session-policy.ts";
import { describeUserAgent } from "./user-agent.ts";

export type ActiveSession = {
  id: string;
  device: string;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** The session this request is using. */
  current: boolean;
};

/**
 * A user's sessions that would still be accepted now: not revoked, not past their absolute
 * lifetime, not idle longer than the policy allows. The current one first, then most recent.
 */
export async function listActiveSessions(
  userId: string,
  currentSessionId?: string,
  now = new Date(),
): Promise<ActiveSession[]> {
  const idleSince = new Date(now.getTime() - (await sessionPolicy()).idleMinutes * 60_000);
  const rows = await db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now }, lastSeenAt: { gte: idleSince } },
    select: { id: true, userAgent: true, ip: true, createdAt: true, lastSeenAt: true },
    orderBy: { lastSeenAt: "desc" },
  });
  return rows
    .map((r) => ({ ...r, device: describeUserAgent(r.userAgent), current: r.id === currentSessionId }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}
