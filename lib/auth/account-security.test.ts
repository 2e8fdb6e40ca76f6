import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { makeUser, TEST_PASSWORD, testContext } from "../testing/auth-fixtures.ts";
import { changePassword, regenerateRecoveryCodes, securityOverview } from "./account-security.ts";
import { verifyPassword } from "./password.ts";
import { newRecoveryCodeBatch, storeRecoveryCodes } from "./recovery-codes.ts";
import { createSession, resolveSession, type CurrentUser } from "./sessions.ts";

async function signedInTwice(email: string) {
  const { user } = await makeUser(email, { name: "Carl Changer" });
  const here = await db.$transaction((tx) => createSession(tx, user.id, testContext()));
  const elsewhere = await db.$transaction((tx) => createSession(tx, user.id, testContext("192.0.2.99")));
  const current = (await resolveSession(here.token)) as CurrentUser;
  return { user, current, here, elsewhere };
}

const change = (currentPassword: string, password: string, confirmPassword = password) => ({
  currentPassword,
  password,
  confirmPassword,
});

describe("password change", () => {
  it("needs the current password, applies the policy, and keeps the old password when refused", async () => {
    const { user, current } = await signedInTwice("refuse@example.test");
    await expect(changePassword(current, change("not my password", "brand new long passphrase"), testContext())).rejects.toMatchObject({
      fieldErrors: { currentPassword: "Your current password is not correct." },
    });
    await expect(changePassword(current, change(TEST_PASSWORD, "short one"), testContext())).rejects.toMatchObject({
      fieldErrors: { password: expect.stringMatching(/at least 12/) },
    });
    await expect(changePassword(current, change(TEST_PASSWORD, "password1234"), testContext())).rejects.toMatchObject({
      fieldErrors: { password: expect.stringMatching(/commonly used/) },
    });
    await expect(changePassword(current, change(TEST_PASSWORD, "carl's fine long password"), testContext())).rejects.toMatchObject({
      fieldErrors: { password: expect.stringMatching(/name or email/) },
    });
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(stored.passwordHash, TEST_PASSWORD)).toBe(true);
    expect(stored.passwordChangedAt).toBeNull();
  });

  it("changes it, ends every other session but this one, and audits it", async () => {
    const { user, current, here, elsewhere } = await signedInTwice("change@example.test");
    const result = await changePassword(current, change(TEST_PASSWORD, "brand new long passphrase"), testContext());
    expect(result).toEqual({ otherSessionsEnded: 1 });
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(stored.passwordHash, "brand new long passphrase")).toBe(true);
    expect(stored.passwordChangedAt).not.toBeNull();
    expect(await resolveSession(here.token)).not.toBeNull();
    expect(await resolveSession(elsewhere.token)).toBeNull();
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.password.changed", actorId: user.id } });
    expect(JSON.parse(audit.changes)).toEqual({ otherSessionsEnded: 1 });
    expect(audit.changes).not.toContain("passphrase");
  });

  it("counts wrong current passwords against the sign-in throttle", async () => {
    const { current } = await signedInTwice("guess@example.test");
    const answers = [];
    for (let i = 0; i < 5; i++) {
      answers.push(await changePassword(current, change(`guess ${i} at it`, "brand new long passphrase"), testContext()).catch((e: Error) => e.message));
    }
    expect(answers[4]).toBe("Too many failed sign-in attempts. Try again in 5 minutes.");
  });
});

describe("recovery code regeneration", () => {
  it("replaces every code with ten new ones, reports what remains, and audits it", async () => {
    const { user, current } = await signedInTwice("regen@example.test");
    const old = await newRecoveryCodeBatch();
    await db.$transaction((tx) => storeRecoveryCodes(tx, user.id, old.hashes));
    await db.recoveryCode.updateMany({ where: { userId: user.id, codeHash: old.hashes[0] }, data: { usedAt: new Date() } });
    expect(await securityOverview(user.id)).toMatchObject({ recoveryCodesRemaining: 9, recoveryCodesIssued: 10 });

    const { codes } = await regenerateRecoveryCodes(current, testContext());
    expect(codes).toHaveLength(10);
    expect(codes.some((c) => old.codes.includes(c))).toBe(false);
    const stored = await db.recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.map((r) => r.codeHash).some((h) => old.hashes.includes(h))).toBe(false);
    expect(await securityOverview(user.id)).toMatchObject({ recoveryCodesRemaining: 10 });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.recovery_codes.regenerated", actorId: user.id } });
    expect(JSON.parse(audit.changes)).toEqual({ issued: 10, unusedVoided: 9 });
  });
});
