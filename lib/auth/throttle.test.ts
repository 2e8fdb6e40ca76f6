import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { codeFor, makeUser, TEST_PASSWORD, testContext } from "../testing/auth-fixtures.ts";
import { newRecoveryCodeBatch, storeRecoveryCodes } from "./recovery-codes.ts";
import { checkPassword, completeRecoverySignIn, completeSignIn } from "./sign-in.ts";
import { ACCOUNT_MAX_FAILURES, IP_MAX_FAILURES, lockoutSeconds } from "./throttle.ts";

const BAD = "Email or password is incorrect.";
const LOCKED_5_MIN = "Too many failed sign-in attempts. Try again in 5 minutes.";

async function ticketFor(email: string, ip: string) {
  const r = await checkPassword(email, TEST_PASSWORD, testContext(ip));
  if (!r.ok || r.next !== "code") throw new Error("expected the code step");
  return r.ticket;
}

/** Lets an account's current lockout run out, as if its time had passed. */
async function expireLockout() {
  await db.rateLimiterFlexible.updateMany({
    where: { key: { startsWith: "signin-account:" } },
    data: { expire: new Date(Date.now() - 1000) },
  });
}

async function throttledEvents(label: string) {
  const events = await db.auditEvent.findMany({
    where: { action: "auth.sign_in.throttled", actorLabel: label },
    orderBy: { seq: "asc" },
  });
  return events.map((e) => JSON.parse(e.changes) as Record<string, unknown>);
}

describe("sign-in throttling", () => {
  it("locks an account after 5 failed passwords, says when to retry, and refuses even the right password", async () => {
    await makeUser("lock@example.test");
    const ip = "198.51.100.1";
    const answers = [];
    for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) answers.push(await checkPassword("lock@example.test", "wrong password!", testContext(ip)));
    expect(answers.slice(0, 4)).toEqual(Array(4).fill({ ok: false, message: BAD }));
    expect(answers[4]).toEqual({ ok: false, message: LOCKED_5_MIN });
    expect(await checkPassword("lock@example.test", TEST_PASSWORD, testContext("198.51.100.2"))).toEqual({
      ok: false,
      message: LOCKED_5_MIN,
    });
    const events = await throttledEvents("lock@example.test");
    expect(events.map((e) => [e.scope, e.reason])).toEqual([
      ["account", "too many failed attempts"],
      ["account", "refused while throttled"],
    ]);
    expect(events[0]?.retryAfterSeconds).toBe(300);
  });

  it("treats an unknown email exactly like a real one: same answers, same lockout", async () => {
    const ip = "198.51.100.3";
    const answers = [];
    for (let i = 0; i < ACCOUNT_MAX_FAILURES + 1; i++) answers.push(await checkPassword("ghost@example.test", "whatever it is", testContext(ip)));
    expect(answers.slice(0, 4)).toEqual(Array(4).fill({ ok: false, message: BAD }));
    expect(answers.slice(4)).toEqual([
      { ok: false, message: LOCKED_5_MIN },
      { ok: false, message: LOCKED_5_MIN },
    ]);
  });

  it("doubles the lockout each time the same account is locked again within a day, up to an hour", async () => {
    expect([1, 2, 3, 4, 5, 9].map(lockoutSeconds)).toEqual([300, 600, 1200, 2400, 3600, 3600]);
    await makeUser("again@example.test");
    const fail5 = async () => {
      let last;
      for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) last = await checkPassword("again@example.test", "nope nope nope", testContext("198.51.100.4"));
      return last;
    };
    expect(await fail5()).toEqual({ ok: false, message: LOCKED_5_MIN });
    await expireLockout();
    expect(await fail5()).toEqual({ ok: false, message: "Too many failed sign-in attempts. Try again in 10 minutes." });
  });

  it("a completed sign-in resets the account's count of failures", async () => {
    const { secret } = await makeUser("reset@example.test");
    const ip = "198.51.100.5";
    for (let i = 0; i < 4; i++) await checkPassword("reset@example.test", "wrong password!", testContext(ip));
    const signedIn = await completeSignIn(await ticketFor("reset@example.test", ip), await codeFor(secret), testContext(ip));
    expect(signedIn.ok).toBe(true);
    // Four more failures are allowed again before a lockout.
    for (let i = 0; i < 4; i++) {
      expect(await checkPassword("reset@example.test", "wrong password!", testContext(ip))).toEqual({ ok: false, message: BAD });
    }
  });

  it("counts wrong authenticator codes and wrong recovery codes against the account too", async () => {
    const { user } = await makeUser("codes@example.test");
    await db.$transaction(async (tx) => storeRecoveryCodes(tx, user.id, (await newRecoveryCodeBatch()).hashes));
    const ip = "198.51.100.6";
    const ticket = await ticketFor("codes@example.test", ip);
    const answers = [
      await completeSignIn(ticket, "000000", testContext(ip)),
      await completeSignIn(ticket, "111111", testContext(ip)),
      await completeRecoverySignIn(ticket, "AAAAA-BBBBB", testContext(ip)),
      await completeRecoverySignIn(ticket, "CCCCC-DDDDD", testContext(ip)),
      await completeSignIn(ticket, "222222", testContext(ip)),
    ];
    expect(answers.slice(0, 4).map((a) => a.ok)).toEqual([false, false, false, false]);
    expect(answers[4]).toEqual({ ok: false, message: LOCKED_5_MIN });
    expect(await checkPassword("codes@example.test", TEST_PASSWORD, testContext(ip))).toEqual({
      ok: false,
      message: LOCKED_5_MIN,
    });
  });

  it("limits failures per client IP across many accounts, with the same wording", async () => {
    const ip = "203.0.113.7";
    for (let i = 0; i < IP_MAX_FAILURES - 1; i++) {
      expect(await checkPassword(`spray${i}@example.test`, "Summer2026!!", testContext(ip))).toEqual({ ok: false, message: BAD });
    }
    const last = await checkPassword("spray-last@example.test", "Summer2026!!", testContext(ip));
    expect(last).toEqual({ ok: false, message: "Too many failed sign-in attempts. Try again in 15 minutes." });
    // A real account with the right password from that address waits too; elsewhere it is fine.
    await makeUser("bystander@example.test");
    expect(await checkPassword("bystander@example.test", TEST_PASSWORD, testContext(ip))).toMatchObject({ ok: false });
    expect(await checkPassword("bystander@example.test", TEST_PASSWORD, testContext("203.0.113.8"))).toMatchObject({
      ok: true,
    });
    const events = await throttledEvents("bystander@example.test");
    expect(events).toEqual([expect.objectContaining({ scope: "ip", step: "password" })]);
  });

  it("lets at most 5 of a burst of simultaneous guesses at one account be checked", async () => {
    await makeUser("burst@example.test");
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => checkPassword("burst@example.test", `guess number ${i}`, testContext(`198.51.100.${20 + i}`))),
    );
    const failures = await db.auditEvent.count({ where: { action: "auth.sign_in.failed", actorLabel: "burst@example.test" } });
    expect(failures).toBeLessThanOrEqual(ACCOUNT_MAX_FAILURES);
    expect(results.every((r) => !r.ok)).toBe(true);
  });
});
