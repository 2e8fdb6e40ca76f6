/**
 * Creates the users an end-to-end spec needs, in the e2e database, through the portal's own lib
 * functions. Run by e2e/support/seed.ts with tsx; prints one line of JSON.
 *
 *   invite <email> <name> <role> [--expired]   a user with no password yet and a setup link
 *   user <email> <name> [--no-mfa]             a user with a password, an authenticator and recovery codes
 *   end-step-up-lockout <email>                 lets the user's current step-up lockout run out now
 */
import { recordAudit } from "../../lib/audit/record.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { newRecoveryCodeBatch, storeRecoveryCodes } from "../../lib/auth/recovery-codes.ts";
import { issueSetupToken } from "../../lib/auth/setup-tokens.ts";
import { newTotpSecret } from "../../lib/auth/totp.ts";
import { sealSecret } from "../../lib/crypto/secret-box.ts";
import { db } from "../../lib/db/client.ts";
import { databaseUrl, providerOf, sqliteFilePath } from "../../lib/db/url.ts";
import { ROLES, type Role } from "../../lib/rbac/permissions.ts";

export const E2E_USER_PASSWORD = "e2e long passphrase for tests";

const url = databaseUrl();
const local = providerOf(url) === "sqlite" ? /e2e[^/]*\.db$/.test(sqliteFilePath(url)) : /@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url);
if (!local) throw new Error("refusing to seed a database that is not the local end-to-end one");

const SEED = { id: null, label: "e2e seed" };
const NO_REQUEST = { ip: "", userAgent: "e2e/support/seed-cli.ts" };
const [command, email = "", name = "", ...rest] = process.argv.slice(2);

async function createUser(data: { role: Role; passwordHash?: string; totpSecretEnc?: string }) {
  return db.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: { email, name, ...data, ...(data.totpSecretEnc ? { mfaEnrolledAt: new Date() } : {}) },
    });
    await recordAudit(tx, {
      action: "user.created",
      actor: SEED,
      context: NO_REQUEST,
      target: { type: "User", id: user.id },
      changes: { email, role: data.role },
    });
    return user;
  });
}

async function main(): Promise<unknown> {
  if (command === "invite") {
    const role = rest[0] as Role;
    if (!ROLES.includes(role)) throw new Error(`unknown role ${role}`);
    const user = await createUser({ role });
    const { token } = await db.$transaction((tx) =>
      issueSetupToken(tx, { purpose: "ACCOUNT_SETUP", userId: user.id, ttlMs: rest.includes("--expired") ? -60_000 : undefined }),
    );
    return { email, path: `/setup/${token}` };
  }
  if (command === "user") {
    const secret = newTotpSecret();
    const mfa = !rest.includes("--no-mfa");
    const user = await createUser({
      role: "VIEWER",
      passwordHash: await hashPassword(E2E_USER_PASSWORD),
      ...(mfa ? { totpSecretEnc: sealSecret(secret) } : {}),
    });
    const batch = await newRecoveryCodeBatch();
    if (mfa) await db.$transaction((tx) => storeRecoveryCodes(tx, user.id, batch.hashes));
    return { email, password: E2E_USER_PASSWORD, secret: mfa ? secret : null, recoveryCodes: mfa ? batch.codes : [] };
  }
  if (command === "end-step-up-lockout") {
    const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    const { count } = await db.rateLimiterFlexible.updateMany({
      where: { key: `stepup-account:${user.id}` },
      data: { expire: new Date(Date.now() - 1000) },
    });
    return { ended: count };
  }
  throw new Error(`unknown command ${command}`);
}

try {
  console.log(JSON.stringify(await main()));
} finally {
  await db.$disconnect();
}
