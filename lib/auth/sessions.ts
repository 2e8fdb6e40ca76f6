import { createHash, randomBytes } from "node:crypto";
import { db, type Prisma } from "../db/client.ts";
import type { Role } from "../rbac/permissions.ts";
import type { RequestContext } from "../audit/record.ts";
import { sessionPolicy } from "../settings/session-policy.ts";


// lastSeenAt is refreshed at most this often, so page loads do not each cost a write.
const TOUCH_EVERY_MS = 60_000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newSessionToken(): string {
  return randomBytes(32).toString("base64url"); // 256 bits
}

/**
 * `token` is normally fresh; enrolment passes one it generated earlier and sealed into a handoff
 * ticket, and the unique token hash then makes that ticket good for one session only.
 */
export async function createSession(
  tx: Prisma.TransactionClient,
  userId: string,
  context: RequestContext,
  now = new Date(),
  token = newSessionToken(),
): Promise<{ token: string; sessionId: string }> {
  const session = await tx.session.create({
    data: {
      tokenHash: hashToken(token),
      userId,
      ip: context.ip.slice(0, 191),
      userAgent: context.userAgent.slice(0, 1000),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + (await sessionPolicy()).absoluteHours * 3_600_000),
    },
    select: { id: true },
  });
  return { token, sessionId: session.id };
}

export type CurrentUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionId: string;
  stepUpAt: Date | null;
};

/**
 * The user behind a session token, or null when the session is unknown, revoked, expired, idle
 * too long, or its user deactivated. Checked on every request, so revocation bites at once.
 * `touch: false` for background polling (the header's unread count): it must not count as
 * activity, or an open tab would keep an idle session alive forever.
 */
export async function resolveSession(
  token: string,
  now = new Date(),
  { touch = true }: { touch?: boolean } = {},
): Promise<CurrentUser | null> {
  const session = await db.session.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      lastSeenAt: true,
      expiresAt: true,
      revokedAt: true,
      stepUpAt: true,
      user: { select: { id: true, email: true, name: true, role: true, active: true } },
    },
  });
  if (!session || session.revokedAt || !session.user.active) return null;
  if (session.expiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > (await sessionPolicy()).idleMinutes * 60_000) return null;
  if (touch && now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  const { user } = session;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionId: session.id,
    stepUpAt: session.stepUpAt,
  };
}
