import { generate } from "otplib";
import { hashPassword } from "../auth/password.ts";
import { newTotpSecret } from "../auth/totp.ts";
import { sealSecret } from "../crypto/secret-box.ts";
import { db } from "../db/client.ts";
import type { Role } from "../rbac/permissions.ts";

export const TEST_PASSWORD = "correct horse battery staple";

/** A user for tests. `totp: false` leaves the account without an authenticator (must enrol). */
export async function makeUser(
  email: string,
  options: { role?: Role; name?: string; totp?: boolean; active?: boolean; password?: string | null } = {},
) {
  const secret = newTotpSecret();
  const password = options.password === undefined ? TEST_PASSWORD : options.password;
  const user = await db.user.create({
    data: {
      email,
      name: options.name ?? "Test User",
      role: options.role ?? "OPERATOR",
      active: options.active ?? true,
      passwordHash: password === null ? null : await hashPassword(password),
      ...(options.totp === false ? {} : { totpSecretEnc: sealSecret(secret), mfaEnrolledAt: new Date() }),
    },
  });
  return { user, secret };
}

/** The current code for a base32 secret, accepting the grouped form shown to people. */
export function codeFor(secret: string, epochSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  return generate({ secret: secret.replace(/\s+/g, ""), epoch: epochSeconds });
}

export const testContext = (ip = "192.0.2.10") => ({ ip, userAgent: "vitest" });
