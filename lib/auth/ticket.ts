import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { authSecret } from "../config/secrets.ts";

/**
 * The proof that step one (password) passed, carried by the browser to step two (TOTP). Encrypted
 * and authenticated, bound to the user and short-lived; it is not a session and grants nothing alone.
 */
const TICKET_TTL_MS = 5 * 60_000;

function key(): Buffer {
  return createHash("sha256").update(`sign-in-ticket:${authSecret()}`).digest();
}

export function issueTicket(userId: string, now = Date.now()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const body = JSON.stringify({ uid: userId, exp: now + TICKET_TTL_MS });
  const ct = Buffer.concat([cipher.update(body, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), ct].map((b) => b.toString("base64url")).join(".");
}

export function readTicket(ticket: string, now = Date.now()): string | null {
  try {
    const [iv, tag, ct] = ticket.split(".");
    if (!iv || !tag || !ct) return null;
    const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const body = JSON.parse(
      Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8"),
    ) as { uid?: unknown; exp?: unknown };
    if (typeof body.uid !== "string" || typeof body.exp !== "number" || body.exp < now) return null;
    return body.uid;
  } catch {
    return null;
  }
}
