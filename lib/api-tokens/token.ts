import { createHash, randomBytes } from "node:crypto";

/** Tokens look like "opt_<43 base64url chars>": 256 random bits behind a recognisable prefix. */
export const TOKEN_PREFIX = "opt_";
const TOKEN_PATTERN = /^opt_[A-Za-z0-9_-]{43}$/;
/** Shown in lists so people can tell tokens apart: the prefix plus 8 characters (48 of 256 bits). */
const DISPLAY_LENGTH = TOKEN_PREFIX.length + 8;

export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export function looksLikeApiToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Only this hash is stored: a database leak does not hand out working tokens. */
export function apiTokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function apiTokenDisplayPrefix(token: string): string {
  return token.slice(0, DISPLAY_LENGTH);
}
