import { db } from "../db/client.ts";
import type { Role } from "../rbac/permissions.ts";
import { roleWithin } from "./roles.ts";
import { apiTokenHash, looksLikeApiToken } from "./token.ts";

/** Who a request authenticated with an API token acts as. */
export type ApiPrincipal = {
  tokenId: string;
  tokenName: string;
  tokenPrefix: string;
  /** The token's role: what the request may do. */
  role: Role;
  user: { id: string; email: string; name: string; role: Role };
};

export type ApiAuthFailure = {
  ok: false;
  /** "missing": no credentials (RFC 6750 says: no error code); anything else: invalid_token. */
  reason: "missing" | "invalid" | "expired" | "revoked" | "owner_inactive" | "owner_role_lowered";
  message: string;
};

const MESSAGES: Record<ApiAuthFailure["reason"], string> = {
  missing: "Send an API token: Authorization: Bearer <token>.",
  invalid: "The API token is not valid.",
  expired: "The API token has expired. Create a new one under Your account > API tokens.",
  revoked: "The API token was revoked.",
  owner_inactive: "The API token's owner is deactivated.",
  owner_role_lowered: "The API token's role is now higher than its owner's role; create a new token.",
};

// lastUsedAt is written at most this often, so a busy CI job does not turn every call into a write.
const TOUCH_EVERY_MS = 60_000;

function fail(reason: ApiAuthFailure["reason"]): ApiAuthFailure {
  return { ok: false, reason, message: MESSAGES[reason] };
}

/**
 * Resolves `Authorization: Bearer <token>`. Checked on every request, against the owner's CURRENT
 * state: a deactivated owner, or an owner whose role was lowered below the token's, stops the
 * token at once, as revocation and expiry do.
 */
export async function authenticateApiToken(
  authorization: string | null,
  now = new Date(),
): Promise<{ ok: true; principal: ApiPrincipal } | ApiAuthFailure> {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return fail(authorization ? "invalid" : "missing");
  const token = match[1]!;
  if (!looksLikeApiToken(token)) return fail("invalid");
  const row = await db.apiToken.findUnique({
    where: { tokenHash: apiTokenHash(token) },
    select: {
      id: true,
      name: true,
      prefix: true,
      role: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      user: { select: { id: true, email: true, name: true, role: true, active: true } },
    },
  });
  if (!row) return fail("invalid");
  if (row.revokedAt) return fail("revoked");
  if (row.expiresAt <= now) return fail("expired");
  if (!row.user.active) return fail("owner_inactive");
  if (!roleWithin(row.role, row.user.role)) return fail("owner_role_lowered");
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    // Conditional, so concurrent requests in the same minute write once.
    await db.apiToken.updateMany({
      where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now.getTime() - TOUCH_EVERY_MS) } }] },
      data: { lastUsedAt: now },
    });
  }
  const { active: _active, ...user } = row.user;
  return { ok: true, principal: { tokenId: row.id, tokenName: row.name, tokenPrefix: row.prefix, role: row.role, user } };
}
