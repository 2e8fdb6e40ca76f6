/**
 * Run by e2e/support/audit-seed.ts through tsx: creates what a spec needs in the e2e database with the
 * portal's own functions (so hashes, encryption and the audit chain are real). Input: one JSON
 * argument; output: one JSON line.
 */
import { recordAudit } from "../../lib/audit/record.ts";
import type { AuditAction } from "../../lib/audit/actions.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { sealSecret } from "../../lib/crypto/secret-box.ts";
import { createDb } from "../../lib/db/client.ts";
import { providerOf, sqliteFilePath } from "../../lib/db/url.ts";
import type { Role } from "../../lib/rbac/permissions.ts";

type Input = {
  users: { email: string; name: string; role: Role; password: string; totpSecret: string }[];
  /** Audit events "done" by the first user, on one target. */
  events?: { action: AuditAction; targetType: string; targetId: string; count: number };
};

const input = JSON.parse(process.argv[2] ?? "{}") as Input;
const url = process.env.DATABASE_URL ?? "";
// Same guard as scripts/e2e-server.ts: only ever a disposable e2e database.
if (providerOf(url) === "sqlite" ? !/e2e[^/]*\.db$/.test(sqliteFilePath(url)) : !/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
  throw new Error(`refusing to seed ${url}: not an e2e database`);
}
const db = createDb(url);
const context = { ip: "127.0.0.1", userAgent: "e2e seed" };
const passwordHash = await hashPassword(input.users[0]?.password ?? "");
const result = await db.$transaction(async (tx) => {
  const ids: string[] = [];
  for (const u of input.users) {
    const user = await tx.user.create({
      data: { email: u.email, name: u.name, role: u.role, passwordHash, totpSecretEnc: sealSecret(u.totpSecret), mfaEnrolledAt: new Date() },
      select: { id: true },
    });
    ids.push(user.id);
    await recordAudit(tx, { action: "user.created", actor: { id: null, label: "e2e seed" }, context, target: { type: "User", id: user.id }, changes: { email: u.email, role: u.role } });
  }
  const e = input.events;
  for (let i = 1; i <= (e?.count ?? 0); i++) {
    const actor = { id: ids[0] ?? null, label: input.users[0]?.email ?? "e2e seed" };
    await recordAudit(tx, { action: e!.action, actor, context, target: { type: e!.targetType, id: e!.targetId }, changes: { step: i, note: i === 1 ? "=cmd|' /C calc'!A0" : `change ${i}` } });
  }
  return { ids };
}, { timeout: 60_000 });
await db.$disconnect();
console.log(JSON.stringify(result));
