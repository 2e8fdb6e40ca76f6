import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { makeUser, TEST_PASSWORD, testContext } from "../testing/auth-fixtures.ts";
import { canonicalRecoveryCode, newRecoveryCodeBatch, remainingRecoveryCodes, storeRecoveryCodes } from "./recovery-codes.ts";
import { resolveSession } from "./sessions.ts";
import { checkPassword, completeRecoverySignIn } from "./sign-in.ts";

async function userWithCodes(email: string) {
  const { user } = await makeUser(email);
  const batch = await newRecoveryCodeBatch();
  await db.$transaction((tx) => storeRecoveryCodes(tx, user.id, batch.hashes));
  return { user, codes: batch.codes };
}

async function ticketFor(email: string) {
  const r = await checkPassword(email, TEST_PASSWORD, testContext());
  if (!r.ok || r.next !== "code") throw new Error("expected the code step");
  return r.ticket;
}

describe("recovery codes", () => {
  it("issues ten distinct high-entropy codes grouped for reading, and stores only their hashes", async () => {
    const { user, codes } = await userWithCodes("codes@example.test");
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{5}-[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{5}$/);
    const stored = await db.recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(10);
    for (const row of stored) {
      expect(row.codeHash).toMatch(/^\$argon2id\$/);
      for (const code of codes) expect(row.codeHash).not.toContain(canonicalRecoveryCode(code));
    }
  });

  it("accepts a code typed in lower case, with spaces or without the dash", () => {
    expect(canonicalRecoveryCode(" abcde fghjk ")).toBe("ABCDEFGHJK");
    expect(canonicalRecoveryCode("ABCDE-FGHJK")).toBe("ABCDEFGHJK");
    expect(canonicalRecoveryCode("ABCDE-FGHJ0")).toBeNull(); // 0 is not in the alphabet
  });

  it("signs in once with a code, then refuses the same code, and audits how many remain", async () => {
    const { user, codes } = await userWithCodes("once@example.test");
    const code = codes[3] as string;
    const first = await completeRecoverySignIn(await ticketFor("once@example.test"), code.toLowerCase(), testContext());
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(await resolveSession(first.token)).toMatchObject({ email: "once@example.test" });
    expect(await remainingRecoveryCodes(user.id)).toBe(9);
    const again = await completeRecoverySignIn(await ticketFor("once@example.test"), code, testContext());
    expect(again).toEqual({ ok: false, message: "That recovery code is not valid or has already been used." });
    const used = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.recovery_code.used", actorId: user.id } });
    expect(JSON.parse(used.changes)).toEqual({ remaining: 9 });
    const signedIn = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.sign_in.succeeded", actorId: user.id } });
    expect(JSON.parse(signedIn.changes)).toEqual({ method: "password+recovery code" });
  });

  it("gives exactly one session when the same code is used twice at the same moment", async () => {
    const { user, codes } = await userWithCodes("race@example.test");
    const [t1, t2] = [await ticketFor("race@example.test"), await ticketFor("race@example.test")];
    const results = await Promise.all([
      completeRecoverySignIn(t1, codes[0] as string, testContext()),
      completeRecoverySignIn(t2, codes[0] as string, testContext()),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    expect(await remainingRecoveryCodes(user.id)).toBe(9);
  });

  it("refuses another user's code", async () => {
    const { codes } = await userWithCodes("owner@example.test");
    await userWithCodes("other@example.test");
    const result = await completeRecoverySignIn(await ticketFor("other@example.test"), codes[0] as string, testContext());
    expect(result.ok).toBe(false);
  });

  it("a new batch voids every earlier code", async () => {
    const { user, codes } = await userWithCodes("renew@example.test");
    const next = await newRecoveryCodeBatch();
    const { replaced } = await db.$transaction((tx) => storeRecoveryCodes(tx, user.id, next.hashes));
    expect(replaced).toBe(10);
    expect((await completeRecoverySignIn(await ticketFor("renew@example.test"), codes[0] as string, testContext())).ok).toBe(false);
    expect((await completeRecoverySignIn(await ticketFor("renew@example.test"), next.codes[0] as string, testContext())).ok).toBe(true);
  });
});
