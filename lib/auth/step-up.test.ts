import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { codeFor, makeUser, testContext } from "../testing/auth-fixtures.ts";
import { auditOf, signInAs } from "../testing/actors.ts";
import { resolveSession } from "./sessions.ts";
import { performStepUp } from "./step-up.ts";
import { ACCOUNT_MAX_FAILURES, STEP_UP_IP_MAX_FAILURES } from "./throttle.ts";

const BAD_CODE = "That code is not valid. Wait for a new code in your authenticator app and try again.";
const LOCKED_5_MIN = "Too many wrong codes. Try again in 5 minutes.";

/** A 6-digit code that is none of the codes accepted now (previous, current or next time step). */
async function wrongCode(secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const valid = new Set(await Promise.all([-30, 0, 30].map((d) => generate({ secret, epoch: now + d }))));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}

// Each user gets its own address unless one is given: the per-IP limit is shared by the whole file.
let nextIp = 100;
async function userWithSession(email: string, ip = `198.51.100.${nextIp++}`) {
  const { user, secret } = await makeUser(email);
  const session = await signInAs(user.id, testContext(ip));
  return { user, secret, session, ctx: testContext(ip) };
}

/** Lets the user's current step-up lockout run out, as if its time had passed. */
async function expireLockout(userId: string) {
  const { count } = await db.rateLimiterFlexible.updateMany({
    where: { key: `stepup-account:${userId}` },
    data: { expire: new Date(Date.now() - 1000) },
  });
  expect(count).toBe(1);
}

async function stepUpAt(sessionId: string) {
  return (await db.session.findUniqueOrThrow({ where: { id: sessionId } })).stepUpAt;
}

describe("step-up throttling", () => {
  it("refuses the sixth code in a row after 5 wrong ones without checking it, even when it is correct", async () => {
    const { user, secret, session, ctx } = await userWithSession("sixth@example.test");
    const answers = [];
    for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) answers.push(await performStepUp(session.user, await wrongCode(secret), ctx));
    expect(answers.slice(0, 4)).toEqual(Array(4).fill({ ok: false, message: BAD_CODE }));
    expect(answers[4]).toEqual({ ok: false, message: LOCKED_5_MIN });

    expect(await performStepUp(session.user, await codeFor(secret), ctx)).toEqual({ ok: false, message: LOCKED_5_MIN });
    // Not checked: the code's time step was not spent and the session got no step-up.
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).totpLastStep).toBeNull();
    expect(await stepUpAt(session.sessionId)).toBeNull();
    expect(await auditOf("auth.step_up.succeeded")).toHaveLength(0);
    expect(await auditOf("auth.step_up.failed", session.sessionId)).toHaveLength(5);
  });

  it("audits the lockout and every refusal while locked, with scope and time left", async () => {
    const { secret, session, ctx } = await userWithSession("audited@example.test");
    for (let i = 0; i < ACCOUNT_MAX_FAILURES + 2; i++) await performStepUp(session.user, await wrongCode(secret), ctx);
    const events = await auditOf("auth.step_up.throttled", session.sessionId);
    expect(events.map((e) => [e.changes.scope, e.changes.reason])).toEqual([
      ["account", "too many wrong codes"],
      ["account", "refused while throttled"],
      ["account", "refused while throttled"],
    ]);
    expect(events[0]?.changes).toMatchObject({ retryAfterSeconds: 300, lockoutsToday: 1 });
    expect(events[1]?.changes.retryAfterSeconds).toBeGreaterThan(290);
    expect(events.every((e) => e.actorLabel === "audited@example.test" && e.ip === ctx.ip)).toBe(true);
  });

  it("tells the user at the first lockout but keeps their sessions", async () => {
    const { user, secret, session, ctx } = await userWithSession("told@example.test");
    for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) await performStepUp(session.user, await wrongCode(secret), ctx);
    const notes = await db.notification.findMany({ where: { userId: user.id } });
    expect(notes).toEqual([
      expect.objectContaining({
        kind: "auth.step_up_locked",
        title: "Someone entered wrong authentication codes on your session",
        link: "/account/sessions",
      }),
    ]);
    expect(notes[0]?.body).toContain(`IP address ${ctx.ip}`);
    expect(await resolveSession(session.token)).not.toBeNull();
  });

  it("lifts the lockout when its time has passed: a correct code then works", async () => {
    const { secret, session, ctx } = await userWithSession("lifted@example.test");
    for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) await performStepUp(session.user, await wrongCode(secret), ctx);
    expect(await performStepUp(session.user, await codeFor(secret), ctx)).toEqual({ ok: false, message: LOCKED_5_MIN });
    await expireLockout(session.user.id);
    expect(await performStepUp(session.user, await codeFor(secret), ctx)).toEqual({ ok: true });
    expect(await stepUpAt(session.sessionId)).not.toBeNull();
  });

  it("signs out every session of the user at the second lockout within a day, and says so", async () => {
    const { user, secret, session, ctx } = await userWithSession("twice@example.test");
    const other = await signInAs(user.id, testContext("198.51.100.41"));
    for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) await performStepUp(session.user, await wrongCode(secret), ctx);
    await expireLockout(user.id);
    const answers = [];
    for (let i = 0; i < ACCOUNT_MAX_FAILURES; i++) answers.push(await performStepUp(session.user, await wrongCode(secret), ctx));
    expect(answers.slice(0, 4)).toEqual(Array(4).fill({ ok: false, message: BAD_CODE }));
    expect(answers[4]).toEqual({
      ok: false,
      message: "Too many wrong codes. For your safety you have been signed out everywhere. Sign in again.",
      signedOut: true,
    });
    expect(await resolveSession(session.token)).toBeNull();
    expect(await resolveSession(other.token)).toBeNull();
    const [revoked] = await auditOf("session.revoked_all", user.id);
    expect(revoked?.changes).toMatchObject({ count: 2, by: "step-up lockout", lockoutsToday: 2 });
    const lockouts = await auditOf("auth.step_up.throttled", session.sessionId);
    expect(lockouts.at(-1)?.changes).toMatchObject({ reason: "too many wrong codes", retryAfterSeconds: 600, lockoutsToday: 2 });
    expect(await db.notification.count({ where: { userId: user.id, kind: "auth.step_up_locked" } })).toBe(2);
  });

  it("a successful step-up resets the count of wrong codes and the lockout history", async () => {
    const { secret, session, ctx } = await userWithSession("reset@example.test");
    for (let i = 0; i < ACCOUNT_MAX_FAILURES - 1; i++) await performStepUp(session.user, await wrongCode(secret), ctx);
    expect(await performStepUp(session.user, await codeFor(secret), ctx)).toEqual({ ok: true });
    // Four more wrong codes are allowed again before a lockout, and the lockout is a first one.
    for (let i = 0; i < ACCOUNT_MAX_FAILURES - 1; i++) {
      expect(await performStepUp(session.user, await wrongCode(secret), ctx)).toEqual({ ok: false, message: BAD_CODE });
    }
    expect(await performStepUp(session.user, await wrongCode(secret), ctx)).toEqual({ ok: false, message: LOCKED_5_MIN });
  });

  it("keeps replay protection: a code that worked once is refused the second time, and counts as wrong", async () => {
    const { secret, session, ctx } = await userWithSession("replay@example.test");
    const code = await codeFor(secret);
    expect(await performStepUp(session.user, code, ctx)).toEqual({ ok: true });
    expect(await performStepUp(session.user, code, ctx)).toEqual({ ok: false, message: BAD_CODE });
    const failed = await auditOf("auth.step_up.failed", session.sessionId);
    expect(failed.map((e) => e.changes.reason)).toEqual(["wrong code"]);
    // matchTotp refuses steps at or before the last one, so a replay reads as a wrong code; it counts.
    for (let i = 0; i < ACCOUNT_MAX_FAILURES - 2; i++) await performStepUp(session.user, await wrongCode(secret), ctx);
    expect(await performStepUp(session.user, code, ctx)).toEqual({ ok: false, message: LOCKED_5_MIN });
  });

  it("shares the limit between two sessions of the same user", async () => {
    const { user, secret, session, ctx } = await userWithSession("shared@example.test");
    const laptop = await signInAs(user.id, testContext("198.51.100.42"));
    for (let i = 0; i < 3; i++) await performStepUp(session.user, await wrongCode(secret), ctx);
    expect(await performStepUp(laptop.user, await wrongCode(secret), testContext("198.51.100.42"))).toEqual({ ok: false, message: BAD_CODE });
    expect(await performStepUp(laptop.user, await wrongCode(secret), testContext("198.51.100.42"))).toEqual({ ok: false, message: LOCKED_5_MIN });
    expect(await performStepUp(session.user, await codeFor(secret), ctx)).toEqual({ ok: false, message: LOCKED_5_MIN });
    // Another user is not affected.
    const bystander = await userWithSession("bystander@example.test", "198.51.100.43");
    expect(await performStepUp(bystander.session.user, await codeFor(bystander.secret), bystander.ctx)).toEqual({ ok: true });
  });

  it("limits wrong codes per client IP across users, with the same wording", async () => {
    const ip = "203.0.113.50";
    const users = [];
    for (let i = 0; i < Math.ceil(STEP_UP_IP_MAX_FAILURES / (ACCOUNT_MAX_FAILURES - 1)) + 1; i++) {
      users.push(await userWithSession(`spray${i}@example.test`, ip));
    }
    const answers = [];
    for (let n = 0; n < STEP_UP_IP_MAX_FAILURES; n++) {
      // Four per user, so no user reaches their own lockout.
      const u = users[Math.floor(n / (ACCOUNT_MAX_FAILURES - 1))];
      if (!u) throw new Error("not enough users");
      answers.push(await performStepUp(u.session.user, await wrongCode(u.secret), u.ctx));
    }
    expect(answers.slice(0, -1).every((a) => !a.ok && a.message === BAD_CODE)).toBe(true);
    expect(answers.at(-1)).toEqual({ ok: false, message: "Too many wrong codes. Try again in 15 minutes." });
    const fresh = users.at(-1);
    if (!fresh) throw new Error("no user");
    expect(await performStepUp(fresh.session.user, await codeFor(fresh.secret), fresh.ctx)).toMatchObject({ ok: false });
    expect(await performStepUp(fresh.session.user, await codeFor(fresh.secret), testContext("203.0.113.51"))).toEqual({ ok: true });
    const refused = await auditOf("auth.step_up.throttled", fresh.session.sessionId);
    expect(refused.map((e) => [e.changes.scope, e.changes.reason])).toEqual([["ip", "refused while throttled"]]);
  });

  it("checks at most 5 of 10 simultaneous wrong codes, and audits every refusal", async () => {
    const { secret, session, ctx } = await userWithSession("burst@example.test");
    const wrong = await wrongCode(secret);
    const answers = await Promise.all(Array.from({ length: 10 }, () => performStepUp(session.user, wrong, ctx)));
    expect(answers.every((a) => !a.ok)).toBe(true);
    const checked = await auditOf("auth.step_up.failed", session.sessionId);
    const throttled = await auditOf("auth.step_up.throttled", session.sessionId);
    expect(checked).toHaveLength(ACCOUNT_MAX_FAILURES);
    expect(throttled.filter((e) => e.changes.reason === "refused while throttled")).toHaveLength(10 - ACCOUNT_MAX_FAILURES);
    expect(throttled.filter((e) => e.changes.reason === "too many wrong codes")).toHaveLength(1);
    expect(await performStepUp(session.user, await codeFor(secret), ctx)).toEqual({ ok: false, message: LOCKED_5_MIN });
  });
});
