import { createHash, randomBytes } from "node:crypto";
import type { Prisma } from "../db/client.ts";

export type SetupPurpose = "FIRST_ADMIN" | "ACCOUNT_SETUP";

export const SETUP_LINK_TTL_MS = 72 * 3_600_000;

export function hashSetupToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * A one-time setup token: 256 random bits, returned once to be shown or logged, stored only as a
 * hash. Issuing a new one for a user retires the user's earlier unused ones.
 */
export async function issueSetupToken(
  tx: Prisma.TransactionClient,
  input: { purpose: SetupPurpose; userId?: string; createdById?: string; ttlMs?: number },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + (input.ttlMs ?? SETUP_LINK_TTL_MS));
  if (input.userId) {
    await tx.setupToken.updateMany({ where: { userId: input.userId, usedAt: null }, data: { usedAt: now } });
  }
  await tx.setupToken.create({
    data: {
      tokenHash: hashSetupToken(token),
      purpose: input.purpose,
      userId: input.userId ?? null,
      createdById: input.createdById ?? null,
      expiresAt,
    },
  });
  return { token, expiresAt };
}

export function setupLinkFor(token: string): string {
  const base = process.env.PORTAL_URL ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000";
  return `${base.replace(/\/+$/, "")}/setup/${token}`;
}
