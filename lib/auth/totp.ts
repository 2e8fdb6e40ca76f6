import { generateSecret, generateURI, verify } from "otplib";

/** RFC 6238: SHA-1, 6 digits, 30 s steps, one step of drift either way. */
export const TOTP_PERIOD_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 }); // 160 bits, as RFC 4226 recommends
}

export function totpUri(secret: string, accountEmail: string): string {
  return generateURI({ issuer: "Ops Portal", label: accountEmail, secret });
}

export function normaliseCode(code: string): string {
  return code.replace(/\s+/g, "");
}

/**
 * Checks a code and returns the time step it matched, or null. Codes at or before `lastStep` were
 * already used (or are older than one that was): refusing them stops replay inside the window.
 */
export async function matchTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  epochSeconds = Math.floor(Date.now() / 1000),
): Promise<number | null> {
  const token = normaliseCode(code);
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({
    secret,
    token,
    epoch: epochSeconds,
    epochTolerance: TOTP_PERIOD_SECONDS,
    ...(lastStep != null ? { afterTimeStep: lastStep } : {}),
  });
  if (!result.valid || !("timeStep" in result)) return null;
  return result.timeStep;
}
