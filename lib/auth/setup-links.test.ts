import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { codeFor, makeUser, testContext } from "../testing/auth-fixtures.ts";
import { completeEnrolment } from "./complete-enrolment.ts";
import { redeemHandoff } from "./handoff.ts";
import { verifyPassword } from "./password.ts";
import { beginAccountSetup, inspectSetupToken } from "./setup-links.ts";
import { issueSetupToken } from "./setup-tokens.ts";
import { checkPassword } from "./sign-in.ts";

const NEW_PASSWORD = "a long and unusual passphrase";

async function invite(email: string, name = "Nina Newcomer", options: { ttlMs?: number } = {}) {
  const { user } = await makeUser(email, { name, totp: false, password: null });
  const { token } = await db.$transaction((tx) =>
    issueSetupToken(tx, { purpose: "ACCOUNT_SETUP", userId: user.id, ttlMs: options.ttlMs }),
  );
  return { user, token };
}

async function finishSetup(token: string) {
  const enrolment = await beginAccountSetup({ token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
  return completeEnrolment(enrolment.ticket, await codeFor(enrolment.key), testContext());
}

describe("account setup links", () => {
  it("shows the invited user's name and email for a fresh link", async () => {
    const { user, token } = await invite("nina@example.test");
    expect(await inspectSetupToken(token)).toEqual({
      kind: "account-setup",
      tokenId: expect.any(String),
      user: { id: user.id, name: "Nina Newcomer", email: "nina@example.test" },
    });
  });

  it("sets the password and authenticator, spends the link, audits it, and signs the user in", async () => {
    const { user, token } = await invite("setup@example.test");
    const done = await finishSetup(token);
    expect(done.recoveryCodes).toHaveLength(10);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(stored.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(stored.passwordChangedAt).not.toBeNull();
    expect(stored.totpSecretEnc).toMatch(/^v1\./);
    expect(await inspectSetupToken(token)).toEqual({ kind: "invalid" });
    const audit = await db.auditEvent.findMany({ where: { actorId: user.id }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["auth.mfa.enrolled", "user.setup_completed"]);
    const signedIn = await redeemHandoff(done.handoff, testContext());
    expect(signedIn.ok).toBe(true);
    // And the password works for ordinary sign-in afterwards (next step: the code).
    expect(await checkPassword("setup@example.test", NEW_PASSWORD, testContext())).toMatchObject({ ok: true, next: "code" });
  });

  it("refuses a used link, even from a second tab that had already passed the password step", async () => {
    const { token } = await invite("twice@example.test");
    const [a, b] = await Promise.all([
      beginAccountSetup({ token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
      beginAccountSetup({ token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
    ]);
    const results = await Promise.allSettled([
      completeEnrolment(a.ticket, await codeFor(a.key), testContext()),
      completeEnrolment(b.ticket, await codeFor(b.key), testContext()),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { message: expect.stringMatching(/no longer valid/) } });
    await expect(beginAccountSetup({ token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).rejects.toThrow(
      /no longer valid/,
    );
  });

  it("treats an expired, unknown or superseded link as no longer valid", async () => {
    const { token: expired } = await invite("late@example.test", "Late Larry", { ttlMs: -1000 });
    expect(await inspectSetupToken(expired)).toEqual({ kind: "invalid" });
    await expect(finishSetup(expired)).rejects.toThrow(/no longer valid/);
    expect(await inspectSetupToken("no-such-token")).toEqual({ kind: "invalid" });
    // Issuing a new link for the same user retires the old one.
    const { user, token: first } = await invite("reissued@example.test");
    await db.$transaction((tx) => issueSetupToken(tx, { purpose: "ACCOUNT_SETUP", userId: user.id }));
    expect(await inspectSetupToken(first)).toEqual({ kind: "invalid" });
  });

  it("refuses a link for a deactivated user", async () => {
    const { user, token } = await invite("gone@example.test");
    await db.user.update({ where: { id: user.id }, data: { active: false } });
    expect(await inspectSetupToken(token)).toEqual({ kind: "invalid" });
  });

  it("applies the password policy, with the user's own name refused", async () => {
    const { token } = await invite("policy@example.test", "Petra Policy");
    await expect(beginAccountSetup({ token, password: "petra rules the world", confirmPassword: "petra rules the world" })).rejects.toMatchObject({
      fieldErrors: { password: expect.stringMatching(/name or email/) },
    });
    await expect(beginAccountSetup({ token, password: "too short", confirmPassword: "too short" })).rejects.toMatchObject({
      fieldErrors: { password: expect.stringMatching(/at least 12/) },
    });
    expect((await inspectSetupToken(token)).kind).toBe("account-setup"); // nothing was spent
  });
});
