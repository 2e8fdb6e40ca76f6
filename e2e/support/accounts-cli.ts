/**
 * Seeds rows for end-to-end specs through the portal's own lib functions, run with tsx so the
 * Prisma client and the encryption key are exactly the server's:
 *
 *   tsx e2e/support/accounts-cli.ts user '{"email":"…","name":"…","role":"ADMIN","password":"…","secret":"…"}'
 *   tsx e2e/support/accounts-cli.ts ip-rules '{"allow":["10.0.0.0/8"],"trustedProxies":[]}'
 *   tsx e2e/support/accounts-cli.ts api-token '{"userId":"…","email":"…","role":"VIEWER","name":"…"}'
 *
 * DATABASE_URL names the database; like scripts/e2e-server.ts it refuses anything not disposable.
 */
import { createApiToken } from "../../lib/api-tokens/service.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { sealSecret } from "../../lib/crypto/secret-box.ts";
import { createDb } from "../../lib/db/client.ts";
import { migrateDatabase } from "../../lib/db/migrate.ts";
import { databaseUrl, providerOf, sqliteFilePath } from "../../lib/db/url.ts";
import type { Role } from "../../lib/rbac/permissions.ts";
import { parseCidr } from "../../lib/security/cidr.ts";

const url = databaseUrl();
if (providerOf(url) === "sqlite" ? !/e2e[^/]*\.db$/.test(sqliteFilePath(url)) : !/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
  throw new Error("refusing to seed a database that is not a local e2e database");
}

const [command, json = "{}"] = process.argv.slice(2);
const input = JSON.parse(json) as Record<string, unknown>;

function cidrs(value: unknown): string[] {
  return ((value ?? []) as string[]).map((raw) => {
    const parsed = parseCidr(raw);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.cidr;
  });
}

if (command === "user") {
  const db = createDb(url);
  const user = await db.user.create({
    data: {
      email: String(input.email).toLowerCase(),
      name: String(input.name),
      role: input.role as Role,
      passwordHash: await hashPassword(String(input.password)),
      totpSecretEnc: sealSecret(String(input.secret)),
      mfaEnrolledAt: new Date(),
    },
    select: { id: true },
  });
  await db.$disconnect();
  process.stdout.write(JSON.stringify(user));
} else if (command === "ip-rules") {
  // The spawned server migrates on start too; doing it here lets rules exist before it starts.
  await migrateDatabase(url);
  const db = createDb(url);
  await db.$transaction([
    db.ipRule.deleteMany(),
    ...cidrs(input.allow).map((cidr) => db.ipRule.create({ data: { kind: "ALLOW", cidr, label: "e2e" } })),
    ...cidrs(input.trustedProxies).map((cidr) => db.ipRule.create({ data: { kind: "TRUSTED_PROXY", cidr, label: "e2e" } })),
  ]);
  await db.$disconnect();
} else if (command === "api-token") {
  // As the token page would issue it (same rules, same audit event), without the browser walk.
  const owner = { id: String(input.userId), email: String(input.email), role: input.role as Role };
  const created = await createApiToken(owner, { name: String(input.name), role: owner.role, expiresInDays: 1 }, { ip: "127.0.0.1", userAgent: "e2e" });
  const holder = globalThis as unknown as { opsPortalDb?: { $disconnect(): Promise<void> } };
  await holder.opsPortalDb?.$disconnect();
  process.stdout.write(JSON.stringify({ token: created.token }));
} else {
  throw new Error(`unknown command ${command}`);
}
