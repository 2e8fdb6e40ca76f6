import { createSession, resolveSession, type CurrentUser } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import type { Role } from "../rbac/permissions.ts";

export const TEST_CONTEXT = { ip: "192.0.2.10", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36" };

let counter = 0;

/** A user with a password and authenticator set (values do not matter to these tests). */
export async function makeUser(role: Role, extra: { email?: string; name?: string; active?: boolean } = {}) {
  counter++;
  return db.user.create({
    data: {
      email: extra.email ?? `user${counter}-${role.toLowerCase()}@example.test`,
      name: extra.name ?? `Test ${role} ${counter}`,
      role,
      active: extra.active ?? true,
      passwordHash: "argon2-hash-placeholder",
      totpSecretEnc: "sealed-secret-placeholder",
      mfaEnrolledAt: new Date(),
    },
  });
}

/** Signs `userId` in (a real Session row) and returns the token and who it resolves to now. */
export async function signInAs(
  userId: string,
  context = TEST_CONTEXT,
): Promise<{ token: string; sessionId: string; user: CurrentUser }> {
  const { token, sessionId } = await db.$transaction((tx) => createSession(tx, userId, context));
  const user = await resolveSession(token);
  if (!user) throw new Error("a fresh session did not resolve");
  return { token, sessionId, user };
}

/** Audit events of one action (about one target, when given), oldest first, with their changes parsed. */
export async function auditOf(action: string, targetId?: string) {
  const rows = await db.auditEvent.findMany({
    where: { action, ...(targetId ? { targetId } : {}) },
    orderBy: { seq: "asc" },
  });
  return rows.map((r) => ({ ...r, changes: JSON.parse(r.changes) as Record<string, unknown> }));
}
