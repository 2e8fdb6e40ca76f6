import QRCode from "qrcode";
import { z } from "zod";
import { recordAudit, type RequestContext } from "../audit/record.ts";
import { openSecret, sealSecret } from "../crypto/secret-box.ts";
import type { Prisma } from "../db/client.ts";
import { storeRecoveryCodes } from "./recovery-codes.ts";
import { openTicket, sealTicket } from "./ticket.ts";
import { matchTotp, newTotpSecret, totpUri } from "./totp.ts";

/**
 * Authenticator enrolment, shared by the three ways in: a password-only sign-in (MFA is
 * mandatory), an account setup link, and the first administrator on an empty database.
 *
 * Stateless: the new seed is generated when the QR code is shown and travels, sealed with the
 * encryption key, inside a short-lived enrolment ticket with whatever else the last step needs.
 * Nothing is written until the person proves their app works by entering its first code.
 */
const ENROLMENT_TTL_MS = 15 * 60_000;

const ZEnrolmentClaims = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("sign-in"), uid: z.string(), secret: z.string() }),
  z.object({
    kind: z.literal("account-setup"),
    uid: z.string(),
    tokenId: z.string(),
    passwordHash: z.string(),
    secret: z.string(),
  }),
  z.object({
    kind: z.literal("first-admin"),
    tokenId: z.string(),
    name: z.string(),
    email: z.string(),
    passwordHash: z.string(),
    secret: z.string(),
  }),
]);
/** A pending enrolment as read back from its ticket; `secret` is the sealed seed. */
export type EnrolmentClaims = z.infer<typeof ZEnrolmentClaims>;
/** Who is enrolling and what their last step must also write (the seed is added by prepareEnrolment). */
export type EnrolmentTarget = WithoutSecret<EnrolmentClaims>;
type WithoutSecret<C> = C extends unknown ? Omit<C, "secret"> : never; // per member of the union

/** What the enrolment screen shows; `ticket` goes back with the confirmation code. */
export type PendingEnrolment = { ticket: string; account: string; qrDataUrl: string; key: string };

/** The base32 key in groups of four, which is how people read and type it. */
export function groupKey(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

export async function prepareEnrolment(target: EnrolmentTarget, account: string): Promise<PendingEnrolment> {
  const secret = newTotpSecret();
  const ticket = sealTicket("enrolment", { ...target, secret: sealSecret(secret) }, ENROLMENT_TTL_MS);
  // A data: URL rendered on the server: no script, no third party sees the seed, and the CSP allows it.
  const qrDataUrl = await QRCode.toDataURL(totpUri(secret, account), {
    errorCorrectionLevel: "M",
    margin: 1,
    width: 216,
  });
  return { ticket, account, qrDataUrl, key: groupKey(secret) };
}

export function readEnrolment(ticket: string): EnrolmentClaims | null {
  const parsed = ZEnrolmentClaims.safeParse(openTicket("enrolment", ticket));
  return parsed.success ? parsed.data : null;
}

/** The time step of the new app's first code, or null when the code does not match the pending seed. */
export async function firstCodeStep(sealedSecret: string, code: string): Promise<number | null> {
  return matchTotp(openSecret(sealedSecret), code, null);
}

/**
 * Stores an enrolment inside the caller's transaction: the sealed seed, the accepted step (so the
 * confirmation code cannot be replayed to sign in), the recovery-code hashes, and its audit event.
 * With `onlyIfNotEnrolled` it is a compare-and-set and returns null when the account already has
 * an authenticator (two tabs confirming at once: one wins).
 */
export async function recordEnrolment(
  tx: Prisma.TransactionClient,
  user: { id: string; email: string },
  enrolment: { sealedSecret: string; step: number; recoveryHashes: readonly string[]; onlyIfNotEnrolled: boolean },
  context: RequestContext,
  now = new Date(),
): Promise<{ enrolledAt: Date } | null> {
  const updated = await tx.user.updateMany({
    where: { id: user.id, active: true, ...(enrolment.onlyIfNotEnrolled ? { totpSecretEnc: null } : {}) },
    data: { totpSecretEnc: enrolment.sealedSecret, totpLastStep: enrolment.step, mfaEnrolledAt: now },
  });
  if (updated.count !== 1) return null;
  const { replaced } = await storeRecoveryCodes(tx, user.id, enrolment.recoveryHashes);
  await recordAudit(tx, {
    action: "auth.mfa.enrolled",
    actor: { id: user.id, label: user.email },
    context,
    target: { type: "User", id: user.id },
    changes: { method: "totp", recoveryCodesIssued: enrolment.recoveryHashes.length, unusedRecoveryCodesVoided: replaced },
  });
  return { enrolledAt: now };
}
