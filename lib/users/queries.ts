import { db } from "../db/client.ts";
import type { Role } from "../rbac/permissions.ts";
import { listActiveSessions, type ActiveSession } from "../sessions/queries.ts";

export type UserListRow = {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  mfaEnrolled: boolean;
  /** Password and authenticator both set: the setup link has been used. */
  setupComplete: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
};

/** Every user for the admin table; last sign-in is the newest session the user opened. */
export async function listUsers(): Promise<UserListRow[]> {
  const [users, lastSessions] = await Promise.all([
    db.user.findMany({
      select: {
        id: true,
        email: true,
        name: true,
        role: true,
        active: true,
        passwordHash: true,
        totpSecretEnc: true,
        createdAt: true,
      },
      orderBy: { email: "asc" },
    }),
    db.session.groupBy({ by: ["userId"], _max: { createdAt: true } }),
  ]);
  const lastSignIn = new Map(lastSessions.map((s) => [s.userId, s._max.createdAt]));
  return users.map(({ passwordHash, totpSecretEnc, ...u }) => ({
    ...u,
    mfaEnrolled: totpSecretEnc != null,
    setupComplete: passwordHash != null && totpSecretEnc != null,
    lastSignInAt: lastSignIn.get(u.id) ?? null,
  }));
}

export type UserDetail = UserListRow & {
  mfaEnrolledAt: Date | null;
  /** The newest unused setup link, if any: when it was issued and when it stops working. */
  pendingSetup: { createdAt: Date; expiresAt: Date; expired: boolean } | null;
  sessions: ActiveSession[];
  /** Other active administrators: the last-admin guard, explained before anyone clicks. */
  otherActiveAdmins: number;
};

export async function getUserDetail(userId: string, now = new Date()): Promise<UserDetail | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      active: true,
      passwordHash: true,
      totpSecretEnc: true,
      mfaEnrolledAt: true,
      createdAt: true,
    },
  });
  if (!user) return null;
  const [lastSession, pending, sessions, otherActiveAdmins] = await Promise.all([
    db.session.findFirst({ where: { userId }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
    db.setupToken.findFirst({
      where: { userId, usedAt: null, purpose: "ACCOUNT_SETUP" },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true, expiresAt: true },
    }),
    listActiveSessions(userId, undefined, now),
    db.user.count({ where: { role: "ADMIN", active: true, id: { not: userId } } }),
  ]);
  const { passwordHash, totpSecretEnc, ...rest } = user;
  return {
    ...rest,
    mfaEnrolled: totpSecretEnc != null,
    setupComplete: passwordHash != null && totpSecretEnc != null,
    lastSignInAt: lastSession?.createdAt ?? null,
    pendingSetup: pending ? { ...pending, expired: pending.expiresAt <= now } : null,
    sessions,
    otherActiveAdmins,
  };
}
