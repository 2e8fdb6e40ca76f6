import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import { sessionPolicy, SESSION_POLICY_KEY } from "../settings/session-policy.ts";
import { auditOf, makeUser, signInAs, TEST_CONTEXT } from "../testing/actors.ts";
import { parseInput } from "../validation/parse.ts";
import { admit, forgetCachedIpPolicy, ipPolicy } from "./ip-policy.ts";
import { ZIpRuleInput } from "./schemas.ts";
import { addIpRule, removeIpRule, saveSessionPolicy } from "./service.ts";

const context = { ...TEST_CONTEXT, ip: "203.0.113.7" };
/** The admin's browser, connecting directly (no proxy) from 203.0.113.7. */
const direct = { peer: "203.0.113.7" };

let admin: CurrentUser;

function rule(cidr: string, label = "") {
  const parsed = parseInput(ZIpRuleInput, { cidr, label });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.data;
}

describe("security settings", () => {
  beforeAll(async () => {
    admin = (await signInAs((await makeUser("ADMIN")).id, context)).user;
  });

  afterEach(async () => {
    await db.ipRule.deleteMany();
    forgetCachedIpPolicy();
  });

  it("refuses an allow-list that would lock out the admin saving it, naming their IP", async () => {
    await expect(addIpRule(admin, "ALLOW", rule("10.0.0.0/8", "VPN"), direct, context)).rejects.toMatchObject({
      code: "conflict",
      message:
        "Not saved: this would lock you out. Your IP address, 203.0.113.7, is not inside any range on the list. Add a range that includes 203.0.113.7 first.",
    });
    expect(await db.ipRule.count()).toBe(0);
    expect(await auditOf("settings.ip_allowlist_changed")).toHaveLength(0);
  });

  it("saves ranges that include the admin, normalised, with the list before and after in the audit trail", async () => {
    await addIpRule(admin, "ALLOW", rule("203.0.113.99/24", "Office"), direct, context);
    await addIpRule(admin, "ALLOW", rule("10.20.30.40/8", "VPN"), direct, context);
    expect((await db.ipRule.findMany({ orderBy: { createdAt: "asc" } })).map((r) => r.cidr)).toEqual([
      "203.0.113.0/24",
      "10.0.0.0/8",
    ]);
    const last = (await auditOf("settings.ip_allowlist_changed")).at(-1);
    expect(last?.changes).toEqual({
      added: "10.0.0.0/8 (VPN)",
      before: ["203.0.113.0/24 (Office)"],
      after: ["203.0.113.0/24 (Office)", "10.0.0.0/8 (VPN)"],
    });
    // The change is in force on this instance at once.
    expect(admit(await ipPolicy(), { peer: "198.51.100.1", path: "/" }).allowed).toBe(false);
  });

  it("refuses to remove the range the admin is connecting from while others remain", async () => {
    await addIpRule(admin, "ALLOW", rule("203.0.113.0/24"), direct, context);
    await addIpRule(admin, "ALLOW", rule("10.0.0.0/8"), direct, context);
    const office = await db.ipRule.findFirstOrThrow({ where: { cidr: "203.0.113.0/24" } });
    await expect(removeIpRule(admin, "ALLOW", { ruleId: office.id }, direct, context)).rejects.toMatchObject({
      code: "conflict",
    });
    // Removing the other one is fine, and so is emptying the list (empty = everyone allowed).
    const vpn = await db.ipRule.findFirstOrThrow({ where: { cidr: "10.0.0.0/8" } });
    await removeIpRule(admin, "ALLOW", { ruleId: vpn.id }, direct, context);
    await removeIpRule(admin, "ALLOW", { ruleId: office.id }, direct, context);
    expect(await db.ipRule.count()).toBe(0);
    expect((await auditOf("settings.ip_allowlist_changed")).at(-1)?.changes).toEqual({
      removed: "203.0.113.0/24",
      before: ["203.0.113.0/24"],
      after: [],
    });
  });

  it("judges the admin by the address a trusted proxy reports, and refuses a proxy change that would hide it", async () => {
    // The admin now comes through Nginx at 10.0.0.5, which reports the browser's 203.0.113.7.
    const viaNginx = { peer: "10.0.0.5", forwardedFor: "203.0.113.7" };
    await expect(addIpRule(admin, "ALLOW", rule("203.0.113.0/24"), viaNginx, context)).rejects.toMatchObject({
      message: expect.stringContaining("Your IP address, 10.0.0.5,"),
    });
    await addIpRule(admin, "TRUSTED_PROXY", rule("10.0.0.5", "nginx"), viaNginx, context);
    await addIpRule(admin, "ALLOW", rule("203.0.113.0/24"), viaNginx, context);
    const proxy = await db.ipRule.findFirstOrThrow({ where: { kind: "TRUSTED_PROXY" } });
    await expect(removeIpRule(admin, "TRUSTED_PROXY", { ruleId: proxy.id }, viaNginx, context)).rejects.toMatchObject({
      message:
        "Not saved: this would lock you out. With these trusted proxies the portal would see your IP address as 10.0.0.5, which is not on the IP allow-list.",
    });
    expect((await auditOf("settings.trusted_proxies_changed")).at(-1)?.changes).toEqual({
      added: "10.0.0.5/32 (nginx)",
      before: [],
      after: ["10.0.0.5/32 (nginx)"],
    });
  });

  it("says which range is a duplicate and which input is not a range", async () => {
    await addIpRule(admin, "ALLOW", rule("203.0.113.0/24"), direct, context);
    await expect(addIpRule(admin, "ALLOW", rule("203.0.113.5/24"), direct, context)).rejects.toMatchObject({
      fieldErrors: { cidr: "203.0.113.0/24 is already on the IP allow-list." },
    });
    expect(parseInput(ZIpRuleInput, { cidr: "office wifi", label: "" })).toMatchObject({
      ok: false,
      fieldErrors: { cidr: expect.stringContaining('"office wifi" is not an IP address or CIDR range') },
    });
  });

  it("saves the session policy with before and after in the audit trail and applies it at once", async () => {
    const before = await sessionPolicy();
    expect(await saveSessionPolicy(admin, { idleMinutes: 15, absoluteHours: 8, stepUpMinutes: 3 }, context)).toEqual({
      changed: true,
    });
    expect(await sessionPolicy()).toEqual({ idleMinutes: 15, absoluteHours: 8, stepUpMinutes: 3 });
    const stored = await db.setting.findUniqueOrThrow({ where: { key: SESSION_POLICY_KEY } });
    expect(stored.updatedById).toBe(admin.id);
    expect((await auditOf("settings.session_policy_changed")).at(-1)?.changes).toEqual({
      before,
      after: { idleMinutes: 15, absoluteHours: 8, stepUpMinutes: 3 },
    });
    // Saving the same values again changes nothing and records nothing.
    expect(await saveSessionPolicy(admin, { idleMinutes: 15, absoluteHours: 8, stepUpMinutes: 3 }, context)).toEqual({
      changed: false,
    });
    expect(await auditOf("settings.session_policy_changed")).toHaveLength(1);
  });

  it("refuses security settings to a role without security.manage", async () => {
    const operator = (await signInAs((await makeUser("OPERATOR")).id)).user;
    await expect(addIpRule(operator, "ALLOW", rule("203.0.113.0/24"), direct, context)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      saveSessionPolicy(operator, { idleMinutes: 5, absoluteHours: 1, stepUpMinutes: 1 }, context),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});
