import { describe, expect, it } from "vitest";
import { openSecret } from "../crypto/secret-box.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { codeFor, makeUser, TEST_PASSWORD, testContext } from "../testing/auth-fixtures.ts";
import { completeEnrolment } from "./complete-enrolment.ts";
import type { PendingEnrolment } from "./enrolment.ts";
import { redeemHandoff } from "./handoff.ts";
import { resolveSession } from "./sessions.ts";
import { checkPassword, completeSignIn } from "./sign-in.ts";

async function startEnrolment(email: string): Promise<PendingEnrolment> {
  const r = await checkPassword(email, TEST_PASSWORD, testContext());
  if (!r.ok || r.next !== "enrol") throw new Error(`expected enrolment, got ${JSON.stringify(r)}`);
  return r.enrolment;
}

const plainKey = (e: PendingEnrolment) => e.key.replace(/\s+/g, "");

describe("mandatory MFA enrolment at sign-in", () => {
  it("sends a right password without an authenticator to enrolment, with no session and nothing stored", async () => {
    const { user } = await makeUser("new@example.test", { totp: false });
    const enrolment = await startEnrolment("new@example.test");
    expect(enrolment.account).toBe("new@example.test");
    expect(enrolment.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(enrolment.key).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/); // 32 base32 characters = 20 bytes
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).totpSecretEnc).toBeNull();
  });

  it("refuses a wrong first code and stores nothing", async () => {
    const { user } = await makeUser("wrong@example.test", { totp: false });
    const enrolment = await startEnrolment("wrong@example.test");
    await expect(completeEnrolment(enrolment.ticket, "000000", testContext())).rejects.toThrow(/does not match/);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.totpSecretEnc).toBeNull();
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
  });

  it("stores only the sealed seed and hashed recovery codes, audits it, and makes a session only at the handoff", async () => {
    const { user } = await makeUser("enrol@example.test", { totp: false });
    const enrolment = await startEnrolment("enrol@example.test");
    const secret = plainKey(enrolment);
    const done = await completeEnrolment(enrolment.ticket, await codeFor(secret), testContext());

    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.totpSecretEnc).toMatch(/^v1\./);
    expect(stored.totpSecretEnc).not.toContain(secret);
    expect(openSecret(stored.totpSecretEnc as string)).toBe(secret);
    expect(stored.mfaEnrolledAt).not.toBeNull();
    expect(Math.abs((stored.totpLastStep ?? 0) - Math.floor(Date.now() / 30_000))).toBeLessThanOrEqual(1);

    expect(done.recoveryCodes).toHaveLength(10);
    const hashes = await db.recoveryCode.findMany({ where: { userId: user.id }, select: { codeHash: true } });
    expect(hashes).toHaveLength(10);
    const storedText = JSON.stringify(hashes);
    for (const code of done.recoveryCodes) expect(storedText).not.toContain(code.replace("-", ""));

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.mfa.enrolled", actorId: user.id } });
    expect(audit.changes).not.toContain(secret);
    expect(JSON.parse(audit.changes)).toMatchObject({ recoveryCodesIssued: 10 });

    // No session until the person has seen their codes and redeems the handoff.
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    const signedIn = await redeemHandoff(done.handoff, testContext());
    expect(signedIn.ok).toBe(true);
    if (!signedIn.ok) return;
    expect(await resolveSession(signedIn.token)).toMatchObject({ email: "enrol@example.test" });
    // The handoff is good for one session only, even replayed at once.
    const replays = await Promise.all([redeemHandoff(done.handoff, testContext()), redeemHandoff(done.handoff, testContext())]);
    expect(replays.every((r) => !r.ok)).toBe(true);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("does not accept the enrolment's confirmation code again to sign in", async () => {
    await makeUser("replay@example.test", { totp: false });
    const enrolment = await startEnrolment("replay@example.test");
    const code = await codeFor(plainKey(enrolment));
    await completeEnrolment(enrolment.ticket, code, testContext());
    const step1 = await checkPassword("replay@example.test", TEST_PASSWORD, testContext());
    if (!step1.ok || step1.next !== "code") throw new Error("expected the code step now");
    expect(await completeSignIn(step1.ticket, code, testContext())).toMatchObject({ ok: false });
  });

  it("of two enrolments confirmed at once (two tabs), exactly one wins", async () => {
    const { user } = await makeUser("tabs@example.test", { totp: false });
    const [a, b] = [await startEnrolment("tabs@example.test"), await startEnrolment("tabs@example.test")];
    const results = await Promise.allSettled([
      completeEnrolment(a.ticket, await codeFor(plainKey(a)), testContext()),
      completeEnrolment(b.ticket, await codeFor(plainKey(b)), testContext()),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r) => r.status === "rejected");
    expect(loser?.status === "rejected" && loser.reason).toBeInstanceOf(AppError);
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(10);
  });

  it("makes a handoff worthless once the authenticator is reset", async () => {
    const { user } = await makeUser("reset@example.test", { totp: false });
    const enrolment = await startEnrolment("reset@example.test");
    const done = await completeEnrolment(enrolment.ticket, await codeFor(plainKey(enrolment)), testContext());
    await db.user.update({ where: { id: user.id }, data: { totpSecretEnc: null, mfaEnrolledAt: null } });
    expect((await redeemHandoff(done.handoff, testContext())).ok).toBe(false);
  });

  it("refuses a tampered enrolment ticket", async () => {
    await makeUser("tamper@example.test", { totp: false });
    const enrolment = await startEnrolment("tamper@example.test");
    const tampered = enrolment.ticket.slice(0, -2) + (enrolment.ticket.endsWith("A") ? "BB" : "AA");
    await expect(completeEnrolment(tampered, await codeFor(plainKey(enrolment)), testContext())).rejects.toThrow(
      /took too long/,
    );
  });
});
