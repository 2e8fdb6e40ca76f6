import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { codeFor, testContext } from "../testing/auth-fixtures.ts";
import { completeEnrolment } from "./complete-enrolment.ts";
import { beginFirstAdmin, offerFirstAdminSetup } from "./first-run.ts";
import { redeemHandoff } from "./handoff.ts";
import { inspectSetupToken, noUsersYet } from "./setup-links.ts";

const admin = (token: string, email = "root@example.test") => ({
  token,
  name: "Rosa Root",
  email,
  password: "a long and unusual passphrase",
  confirmPassword: "a long and unusual passphrase",
});

// One database for the whole file, and these steps depend on each other: first run happens once.
describe("first run", () => {
  let token = "";

  it("issues a setup token at start while no user exists, storing only its hash, and retires older ones", async () => {
    expect(await noUsersYet()).toBe(true);
    const older = await offerFirstAdminSetup(db);
    const offer = await offerFirstAdminSetup(db);
    if (!older || !offer) throw new Error("expected a first-run token");
    token = offer.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    const rows = await db.setupToken.findMany({ where: { purpose: "FIRST_ADMIN" } });
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await inspectSetupToken(older.token)).toEqual({ kind: "invalid" });
    expect(await inspectSetupToken(token)).toEqual({ kind: "first-admin", tokenId: expect.any(String) });
  });

  it("refuses a wrong token and a weak password before anything is stored", async () => {
    await expect(beginFirstAdmin(admin("not-the-token"))).rejects.toMatchObject({
      fieldErrors: { token: expect.stringMatching(/not valid/) },
    });
    await expect(beginFirstAdmin({ ...admin(token), password: "rosaroot2026!", confirmPassword: "rosaroot2026!" })).rejects.toMatchObject({
      fieldErrors: { password: expect.stringMatching(/name or email/) },
    });
    expect(await noUsersYet()).toBe(true);
  });

  it("two people using the same token at once get exactly one administrator", async () => {
    const [a, b] = await Promise.all([beginFirstAdmin(admin(token, "first@example.test")), beginFirstAdmin(admin(token, "second@example.test"))]);
    const results = await Promise.allSettled([
      completeEnrolment(a.ticket, await codeFor(a.key), testContext()),
      completeEnrolment(b.ticket, await codeFor(b.key), testContext()),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const users = await db.user.findMany();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ role: "ADMIN", name: "Rosa Root", active: true });
    expect(users[0]?.mfaEnrolledAt).not.toBeNull();
    expect(await db.recoveryCode.count()).toBe(10);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "setup.first_admin_created" } });
    expect(audit.actorId).toBe(users[0]?.id);
    const done = results.find((r) => r.status === "fulfilled");
    if (done?.status !== "fulfilled") return;
    expect((await redeemHandoff(done.value.handoff, testContext())).ok).toBe(true);
  });

  it("once an administrator exists, first-run tokens are gone (404) and no new one is issued", async () => {
    expect(await inspectSetupToken(token)).toEqual({ kind: "not-found" });
    await expect(beginFirstAdmin(admin(token, "late@example.test"))).rejects.toMatchObject({ code: "not_found" });
    expect(await offerFirstAdminSetup(db)).toBeNull();
    expect(await noUsersYet()).toBe(false);
  });
});
