import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { authSecret } from "../config/secrets.ts";

/**
 * Tickets carry the state of a multi-step flow through the browser instead of the server: proof
 * that an earlier step passed (the password), or what a later step needs (a pending TOTP seed).
 * Encrypted and authenticated (AES-256-GCM), short-lived, and bound to one purpose so a ticket for
 * one flow is worthless in another. A ticket is not a session and grants nothing alone.
 */
export type TicketPurpose =
  /** Password passed; the TOTP or recovery-code step may follow. */
  | "sign-in"
  /** Password (or setup link) passed; the person is enrolling an authenticator. */
  | "enrolment"
  /** Enrolment finished; the browser may turn this into a session once, after saving its codes. */
  | "handoff";

const SIGN_IN_TTL_MS = 5 * 60_000;

function key(): Buffer {
  return createHash("sha256").update(`sign-in-ticket:${authSecret()}`).digest();
}

export function sealTicket(purpose: TicketPurpose, claims: object, ttlMs: number, now = Date.now()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = JSON.stringify({ ...claims, exp: now + ttlMs });
  const ct = Buffer.concat([cipher.update(body, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), ct].map((b) => b.toString("base64url")).join(".");
}

/** The ticket's claims, or null when it is forged, tampered with, for another purpose or expired. */
export function openTicket(purpose: TicketPurpose, ticket: string, now = Date.now()): Record<string, unknown> | null {
  try {
    const [iv, tag, ct] = ticket.split(".");
    if (!iv || !tag || !ct) return null;
    const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const body: unknown = JSON.parse(
      Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8"),
    );
    if (typeof body !== "object" || body === null || !("exp" in body)) return null;
    if (typeof body.exp !== "number" || body.exp < now) return null;
    return body as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function issueTicket(userId: string, now = Date.now()): string {
  return sealTicket("sign-in", { uid: userId }, SIGN_IN_TTL_MS, now);
}

export function readTicket(ticket: string, now = Date.now()): string | null {
  const claims = openTicket("sign-in", ticket, now);
  return typeof claims?.uid === "string" ? claims.uid : null;
}
