import { beforeEach, describe, expect, it } from "vitest";
import { resolveSession } from "../auth/sessions.ts";
import { hashSetupToken } from "../auth/setup-tokens.ts";
import { db } from "../db/client.ts";
import { auditOf, makeUser, signInAs, TEST_CONTEXT } from "../testing/actors.ts";
import { parseInput } from "../validation/parse.ts";
import { ZCreateUserInput } from "./schemas.ts";
import {
  changeRole,
  createUser,
  deactivateUser,
  reactivateUser,
  reissueSetupLink,
  resetMfa,
  revokeUserSessions,
} from "./service.ts";

const context = TEST_CONTEXT;

async function freshAdmin() {
  const admin = await makeUser("ADMIN");
  return (await signInAs(admin.id)).user;
}

function tokenOf(link: string): string {
  return link.split("/setup/")[1] ?? "";
}

describe("user administration", () => {
  beforeEach(async () => {
    // Each test starts with no users, so "last active administrator" means what the test says.
    await db.session.deleteMany();
    await db.setupToken.deleteMany();
    await db.user.deleteMany();
  });

  it("creates a user with a lowercased email and a one-time setup link stored only as a hash", async () => {
    const admin = await freshAdmin();
    const parsed = parseInput(ZCreateUserInput, { email: "  Nia.New@Example.TEST ", name: "Nia New", role: "OPERATOR" });
    if (!parsed.ok) throw new Error(parsed.message);
    const issued = await createUser(admin, parsed.data, context);

    expect(issued.email).toBe("nia.new@example.test");
    expect(issued.setupLink).toMatch(/\/setup\/[A-Za-z0-9_-]{43}$/);
    const user = await db.user.findUniqueOrThrow({ where: { email: "nia.new@example.test" } });
    expect(user).toMatchObject({ role: "OPERATOR", active: true, passwordHash: null, totpSecretEnc: null });

    const stored = await db.setupToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored.purpose).toBe("ACCOUNT_SETUP");
    expect(stored.tokenHash).toBe(hashSetupToken(tokenOf(issued.setupLink)));
    expect(stored.tokenHash).not.toContain(tokenOf(issued.setupLink));
    const hours = (stored.expiresAt.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);

    const [created] = await auditOf("user.created", user.id);
    expect(created).toMatchObject({ actorId: admin.id, targetId: user.id, ip: context.ip });
    expect(created?.changes).toEqual({ email: "nia.new@example.test", name: "Nia New", role: "OPERATOR" });
    const [linkEvent] = await auditOf("user.setup_link_issued", user.id);
    expect(linkEvent?.changes).toMatchObject({ reason: "new account" });
    // The trail never holds the token itself.
    expect(JSON.stringify(linkEvent)).not.toContain(tokenOf(issued.setupLink));
  });

  it("refuses a second user with the same email, whatever its case, with a clear message", async () => {
    const admin = await freshAdmin();
    await createUser(admin, { email: "dup@example.test", name: "First", role: "VIEWER" }, context);
    const second = createUser(admin, { email: "DUP@example.test", name: "Second", role: "VIEWER" }, context);
    await expect(second).rejects.toMatchObject({
      code: "invalid_input",
      message: "A user with the email dup@example.test already exists.",
      fieldErrors: { email: "A user with the email dup@example.test already exists." },
    });
    expect(await db.user.count({ where: { email: "dup@example.test" } })).toBe(1);
  });

  it("re-issues a setup link, retiring the earlier one, only while setup is unfinished", async () => {
    const admin = await freshAdmin();
    const first = await createUser(admin, { email: "later@example.test", name: "Lee Later", role: "VIEWER" }, context);
    const second = await reissueSetupLink(admin, { userId: first.userId }, context);
    expect(second.setupLink).not.toBe(first.setupLink);
    const oldRow = await db.setupToken.findUniqueOrThrow({ where: { tokenHash: hashSetupToken(tokenOf(first.setupLink)) } });
    expect(oldRow.usedAt).not.toBeNull();
    expect((await auditOf("user.setup_link_issued", first.userId)).map((e) => e.changes.reason)).toEqual(["new account", "re-issued"]);

    const done = await makeUser("VIEWER", { name: "Dana Done" });
    await expect(reissueSetupLink(admin, { userId: done.id }, context)).rejects.toThrow(
      "Dana Done has already set up a password and an authenticator. To make them set up again, reset their MFA.",
    );
  });

  it("applies a role change on the user's very next request", async () => {
    const admin = await freshAdmin();
    const target = await makeUser("VIEWER");
    const { token } = await signInAs(target.id);
    expect((await resolveSession(token))?.role).toBe("VIEWER");

    expect(await changeRole(admin, { userId: target.id, role: "RELEASE_MANAGER" }, context)).toEqual({
      from: "VIEWER",
      to: "RELEASE_MANAGER",
    });
    expect((await resolveSession(token))?.role).toBe("RELEASE_MANAGER");
    const [event] = await auditOf("user.role_changed", target.id);
    expect(event).toMatchObject({ actorId: admin.id, targetType: "User", targetId: target.id });
    expect(event?.changes).toMatchObject({ from: "VIEWER", to: "RELEASE_MANAGER" });
  });

  it("refuses to let the last active administrator demote themself, and allows it when another exists", async () => {
    const admin = await freshAdmin();
    await expect(changeRole(admin, { userId: admin.id, role: "OPERATOR" }, context)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("You are the last active administrator"),
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("ADMIN");
    expect(await auditOf("user.role_changed", admin.id)).toHaveLength(0);

    // A deactivated admin does not count.
    await makeUser("ADMIN", { active: false });
    await expect(changeRole(admin, { userId: admin.id, role: "OPERATOR" }, context)).rejects.toMatchObject({ code: "conflict" });

    await makeUser("ADMIN");
    await changeRole(admin, { userId: admin.id, role: "OPERATOR" }, context);
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("OPERATOR");
  });

  it("keeps one administrator when two demote each other at the same moment", async () => {
    const a = await freshAdmin();
    const b = await freshAdmin();
    const results = await Promise.allSettled([
      changeRole(a, { userId: b.id, role: "VIEWER" }, context),
      changeRole(b, { userId: a.id, role: "VIEWER" }, context),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
    expect(await db.user.count({ where: { role: "ADMIN", active: true } })).toBe(1);
  });

  it("deactivation signs the user out at once, retires their setup links, and reactivation lets them back", async () => {
    const admin = await freshAdmin();
    const created = await createUser(admin, { email: "gone@example.test", name: "Gil Gone", role: "OPERATOR" }, context);
    const target = await makeUser("OPERATOR");
    const one = await signInAs(target.id);
    const two = await signInAs(target.id);

    expect(await deactivateUser(admin, { userId: target.id }, context)).toEqual({ sessionsRevoked: 2 });
    expect(await resolveSession(one.token)).toBeNull();
    expect(await resolveSession(two.token)).toBeNull();
    const [event] = await auditOf("user.deactivated", target.id);
    expect(event?.changes).toMatchObject({ sessionsRevoked: 2 });

    await deactivateUser(admin, { userId: created.userId }, context);
    expect(await db.setupToken.count({ where: { userId: created.userId, usedAt: null } })).toBe(0);

    await reactivateUser(admin, { userId: target.id }, context);
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).active).toBe(true);
    expect(await resolveSession(one.token)).toBeNull(); // revoked sessions stay revoked
    expect(await auditOf("user.reactivated", target.id)).toHaveLength(1);
  });

  it("refuses actions on oneself that make no sense", async () => {
    const admin = await freshAdmin();
    await makeUser("ADMIN");
    const self = { userId: admin.id };
    await expect(deactivateUser(admin, self, context)).rejects.toThrow("You cannot deactivate your own account");
    await expect(resetMfa(admin, self, context)).rejects.toThrow("You cannot reset your own MFA");
    await expect(revokeUserSessions(admin, self, context)).rejects.toThrow("use Your account > Sessions");
    await expect(reissueSetupLink(admin, self, context)).rejects.toThrow("already set up your account");
  });

  it("MFA reset clears the authenticator, recovery codes and password, signs the user out and issues a setup link", async () => {
    const admin = await freshAdmin();
    const target = await makeUser("AUDITOR");
    await db.recoveryCode.createMany({
      data: [1, 2, 3].map((i) => ({ userId: target.id, codeHash: `hash-${i}` })),
    });
    const { token } = await signInAs(target.id);

    const result = await resetMfa(admin, { userId: target.id }, context);
    expect(result.sessionsRevoked).toBe(1);
    expect(await resolveSession(token)).toBeNull();
    const after = await db.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(after).toMatchObject({ totpSecretEnc: null, totpLastStep: null, mfaEnrolledAt: null, passwordHash: null, active: true });
    expect(await db.recoveryCode.count({ where: { userId: target.id } })).toBe(0);
    const link = await db.setupToken.findUniqueOrThrow({ where: { tokenHash: hashSetupToken(tokenOf(result.setupLink)) } });
    expect(link).toMatchObject({ userId: target.id, purpose: "ACCOUNT_SETUP", usedAt: null });

    const [reset] = await auditOf("auth.mfa.reset", target.id);
    expect(reset?.changes).toMatchObject({ sessionsRevoked: 1, recoveryCodesDeleted: 3, passwordCleared: true });
    expect((await auditOf("user.setup_link_issued", target.id)).at(-1)?.changes).toMatchObject({ reason: "MFA reset" });
  });

  it("revokes all of a user's sessions and records how many", async () => {
    const admin = await freshAdmin();
    const target = await makeUser("OPERATOR");
    const sessions = [await signInAs(target.id), await signInAs(target.id), await signInAs(target.id)];
    expect(await revokeUserSessions(admin, { userId: target.id }, context)).toEqual({ count: 3 });
    for (const s of sessions) expect(await resolveSession(s.token)).toBeNull();
    expect((await auditOf("session.revoked_all", target.id)).at(-1)).toMatchObject({
      targetId: target.id,
      changes: expect.objectContaining({ count: 3, by: "administrator" }),
    });
  });

  it("refuses every user-admin function to a role without user.manage", async () => {
    const operator = (await signInAs((await makeUser("OPERATOR")).id)).user;
    const victim = await makeUser("VIEWER");
    await expect(changeRole(operator, { userId: victim.id, role: "ADMIN" }, context)).rejects.toMatchObject({ code: "forbidden" });
    await expect(createUser(operator, { email: "x@example.test", name: "X", role: "ADMIN" }, context)).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: victim.id } })).role).toBe("VIEWER");
  });
});
