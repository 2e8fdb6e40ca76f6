import { recordAudit, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { can, ROLE_LABELS } from "../rbac/permissions.ts";
import { grantableRoles, roleWithin } from "./roles.ts";
import type { TCreateApiTokenInput } from "./schemas.ts";
import { apiTokenDisplayPrefix, apiTokenHash, generateApiToken } from "./token.ts";

type Actor = Pick<CurrentUser, "id" | "email" | "role">;

export type CreatedApiToken = {
  id: string;
  name: string;
  role: CurrentUser["role"];
  prefix: string;
  expiresAt: Date;
  /** The only time the token itself exists outside the caller's hands: show it once. */
  token: string;
};

/**
 * Issues a token acting with `input.role`, which must be no higher than the creator's own role.
 * Only its sha256 and a short display prefix are stored. (Permission and step-up are checked by
 * the action wrapper; the role ceiling is a rule of this domain, so it is checked here.)
 */
export async function createApiToken(
  user: Actor,
  input: TCreateApiTokenInput,
  context: RequestContext,
  now = new Date(),
): Promise<CreatedApiToken> {
  if (!roleWithin(input.role, user.role)) {
    const allowed = grantableRoles(user.role).map((r) => ROLE_LABELS[r]).join(", ");
    const message = `A token cannot have more rights than you. Choose one of: ${allowed}.`;
    throw new AppError("forbidden", message, { role: message });
  }
  const token = generateApiToken();
  const prefix = apiTokenDisplayPrefix(token);
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
  const created = await db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: { name: input.name, prefix, tokenHash: apiTokenHash(token), role: input.role, userId: user.id, expiresAt, createdAt: now },
      select: { id: true },
    });
    await recordAudit(tx, {
      action: "api_token.created",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "ApiToken", id: row.id },
      changes: { name: input.name, role: input.role, prefix, expiresAt: expiresAt.toISOString() },
    });
    return row;
  });
  return { id: created.id, name: input.name, role: input.role, prefix, expiresAt, token };
}

/**
 * Revokes a token at once: the next request with it gets 401. People revoke their own tokens;
 * whoever may manage security (admins) may revoke anyone's, e.g. one that leaked. Revoking twice
 * is harmless and records nothing the second time.
 */
export async function revokeApiToken(
  user: Actor,
  tokenId: string,
  context: RequestContext,
  now = new Date(),
): Promise<{ name: string; alreadyRevoked: boolean }> {
  const token = await db.apiToken.findUnique({
    where: { id: tokenId },
    select: { id: true, name: true, prefix: true, userId: true, revokedAt: true, user: { select: { email: true } } },
  });
  // Someone else's token is "not found" rather than "forbidden": its existence is not their business.
  if (!token || (token.userId !== user.id && !can(user.role, "security.manage"))) {
    throw new AppError("not_found", "That token does not exist or is not yours.");
  }
  if (token.revokedAt) return { name: token.name, alreadyRevoked: true };
  const revoked = await db.$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id: token.id, revokedAt: null }, data: { revokedAt: now } });
    if (count !== 1) return false; // revoked by someone else a moment ago
    await recordAudit(tx, {
      action: "api_token.revoked",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "ApiToken", id: token.id },
      changes: { name: token.name, prefix: token.prefix, owner: token.user.email },
    });
    return true;
  });
  return { name: token.name, alreadyRevoked: !revoked };
}
