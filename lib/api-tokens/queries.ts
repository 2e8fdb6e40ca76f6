import type { CurrentUser } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import { can, type Role } from "../rbac/permissions.ts";

export type ApiTokenRow = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  owner: { email: string; name: string };
};

export type ApiTokenStatus = "active" | "expired" | "revoked";

export function apiTokenStatus(t: Pick<ApiTokenRow, "expiresAt" | "revokedAt">, now = new Date()): ApiTokenStatus {
  if (t.revokedAt) return "revoked";
  return t.expiresAt <= now ? "expired" : "active";
}

/**
 * The tokens a person may see: their own; admins (security.manage) see everyone's, so a leaked
 * token can be found and revoked whoever made it. Newest first.
 */
export function listApiTokens(user: Pick<CurrentUser, "id" | "role">, limit = 200): Promise<ApiTokenRow[]> {
  return db.apiToken.findMany({
    where: can(user.role, "security.manage") ? undefined : { userId: user.id },
    select: {
      id: true,
      name: true,
      prefix: true,
      role: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      revokedAt: true,
      user: { select: { email: true, name: true } },
    },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit,
  }).then((rows) => rows.map(({ user: owner, ...t }) => ({ ...t, owner })));
}
