import { generate } from "otplib";
import { beforeAll, describe, expect, it } from "vitest";
import { sealSecret } from "../crypto/secret-box.ts";
import { db } from "../db/client.ts";
import { hashPassword } from "./password.ts";
import { resolveSession } from "./sessions.ts";
import { checkPassword, completeSignIn } from "./sign-in.ts";

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const PASSWORD = "correct horse battery staple";
const context = { ip: "192.0.2.10", userAgent: "vitest" };

async function makeUser(email: string, extra: { active?: boolean } = {}) {
  return db.user.create({
    data: {
      email,
      name: "Test User",
      role: "OPERATOR",
      passwordHash: await hashPassword(PASSWORD),
      totpSecretEnc: sealSecret(SECRET),
      ...extra,
    },
  });
}

async function ticketFor(email: string): Promise<string> {
  const step1 = await checkPassword(email, PASSWORD, context);
  if (!step1.ok) throw new Error(step1.message);
  if (step1.next !== "code") throw new Error("expected the code step");
  return step1.ticket;
}

describe("sign-in", () => {
  beforeAll(async () => {
    await makeUser("alice@example.test");
    await makeUser("bob@example.test");
    await makeUser("carol@example.test", { active: false });
  });

  it("gives the same message for an unknown email and a wrong password, and audits the reason", async () => {
    const unknown = await checkPassword("nobody@example.test", PASSWORD, context);
    const wrong = await checkPassword("alice@example.test", "wrong password!", context);
    expect(unknown).toEqual({ ok: false, message: "Email or password is incorrect." });
    expect(wrong).toEqual(unknown);
    const reasons = await db.auditEvent.findMany({
      where: { action: "auth.sign_in.failed" },
      select: { changes: true, ip: true },
    });
    expect(reasons.map((r) => JSON.parse(r.changes).reason)).toEqual(
      expect.arrayContaining(["unknown email", "wrong password"]),
    );
    expect(reasons.every((r) => r.ip === "192.0.2.10")).toBe(true);
  });

  it("refuses a deactivated account with the same generic message", async () => {
    expect(await checkPassword("carol@example.test", PASSWORD, context)).toMatchObject({ ok: false });
  });

  it("matches email case-insensitively", async () => {
    expect(await checkPassword("  Alice@Example.TEST ", PASSWORD, context)).toMatchObject({ ok: true });
  });

  it("creates a session only after password and code both pass, and the session resolves", async () => {
    const before = await db.session.count();
    const ticket = await ticketFor("alice@example.test");
    expect(await db.session.count()).toBe(before);
    const result = await completeSignIn(ticket, await generate({ secret: SECRET }), context);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const user = await resolveSession(result.token);
    expect(user).toMatchObject({ email: "alice@example.test", role: "OPERATOR" });
    const stored = await db.session.findFirstOrThrow({ where: { userId: result.userId } });
    expect(stored.tokenHash).not.toBe(result.token);
  });

  it("gives exactly one success when the same code is submitted twice at once", async () => {
    const [t1, t2] = [await ticketFor("bob@example.test"), await ticketFor("bob@example.test")];
    const code = await generate({ secret: SECRET });
    const results = await Promise.all([completeSignIn(t1, code, context), completeSignIn(t2, code, context)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // ...and the code stays spent afterwards.
    expect(await completeSignIn(await ticketFor("bob@example.test"), code, context)).toMatchObject({ ok: false });
  });

  it("refuses a forged or tampered ticket", async () => {
    const ticket = await ticketFor("alice@example.test");
    const tampered = ticket.slice(0, -2) + (ticket.endsWith("A") ? "BB" : "AA");
    expect(await completeSignIn(tampered, "123456", context)).toMatchObject({ ok: false });
  });

  it("stops resolving a session once it is revoked or the user is deactivated", async () => {
    const alice = await db.user.findUniqueOrThrow({ where: { email: "alice@example.test" } });
    await db.user.update({ where: { id: alice.id }, data: { totpLastStep: null } });
    const result = await completeSignIn(await ticketFor("alice@example.test"), await generate({ secret: SECRET }), context);
    if (!result.ok) throw new Error(result.message);
    const session = await db.session.findFirstOrThrow({ where: { userId: alice.id }, orderBy: { createdAt: "desc" } });
    expect(await resolveSession(result.token)).not.toBeNull();
    await db.session.update({ where: { id: session.id }, data: { revokedAt: new Date() } });
    expect(await resolveSession(result.token)).toBeNull();
    await db.session.update({ where: { id: session.id }, data: { revokedAt: null } });
    await db.user.update({ where: { id: alice.id }, data: { active: false } });
    expect(await resolveSession(result.token)).toBeNull();
    await db.user.update({ where: { id: alice.id }, data: { active: true } });
  });

  it("expires a session that has been idle longer than the policy allows", async () => {
    const alice = await db.user.findUniqueOrThrow({ where: { email: "alice@example.test" } });
    await db.user.update({ where: { id: alice.id }, data: { totpLastStep: null } });
    const result = await completeSignIn(await ticketFor("alice@example.test"), await generate({ secret: SECRET }), context);
    if (!result.ok) throw new Error(result.message);
    const in29 = new Date(Date.now() + 29 * 60_000);
    expect(await resolveSession(result.token, in29)).not.toBeNull();
    const in29Plus31 = new Date(in29.getTime() + 31 * 60_000);
    expect(await resolveSession(result.token, in29Plus31)).toBeNull();
  });
});
