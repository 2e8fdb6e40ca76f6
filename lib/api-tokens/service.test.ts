import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import type { Role } from "../rbac/permissions.ts";
import { authenticateApiToken } from "./authenticate.ts";
import { listApiTokens } from "./queries.ts";
import { grantableRoles, roleWithin } from "./roles.ts";
import { createApiToken, revokeApiToken } from "./service.ts";
import { apiTokenHash } from "./token.ts";

const context = { ip: "192.0.2.10", userAgent: "vitest" };
type Person = { id: string; email: string; role: Role };
let n = 0;

async function person(role: Role): Promise<Person> {
  n += 1;
  const email = `tokens${n}@example.com`;
  const { id } = await db.user.create({ data: { email, name: `Person ${n}`, role }, select: { id: true } });
  return { id, email, role };
}

let operator: Person;
let admin: Person;
let other: Person;
beforeAll(async () => {
  operator = await person("OPERATOR");
  admin = await person("ADMIN");
  other = await person("RELEASE_MANAGER");
});

describe("token roles", () => {
  it("allows only roles whose permissions the creator holds", () => {
    expect(grantableRoles("ADMIN")).toEqual(["ADMIN", "OPERATOR", "RELEASE_MANAGER", "STAKEHOLDER", "AUDITOR", "VIEWER"]);
    expect(grantableRoles("OPERATOR")).toEqual(["OPERATOR", "VIEWER"]);
    expect(grantableRoles("RELEASE_MANAGER")).toEqual(["RELEASE_MANAGER", "VIEWER"]);
    expect(roleWithin("STAKEHOLDER", "OPERATOR")).toBe(false); // may approve changes; an operator may not
  });
});

describe("API tokens", () => {
  it("creates a token shown once and stores only its hash and a short prefix, audited", async () => {
    const created = await createApiToken(operator, { name: "CI deploy", role: "VIEWER", expiresInDays: 30 }, context, new Date("2026-11-27T00:00:00Z"));
    expect(created.token).toMatch(/^opt_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 12));
    expect(created.expiresAt.toISOString()).toBe("2026-12-27T00:00:00.000Z");
    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.tokenHash).toBe(apiTokenHash(created.token));
    expect(JSON.stringify(stored)).not.toContain(created.token);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "api_token.created", targetId: created.id } });
    expect(JSON.parse(event.changes)).toEqual({ name: "CI deploy", role: "VIEWER", prefix: created.prefix, expiresAt: "2026-12-27T00:00:00.000Z" });
    expect(event.changes).not.toContain(created.token);
  });

  it("refuses a role higher than the creator's and writes nothing", async () => {
    const before = await db.apiToken.count();
    await expect(createApiToken(operator, { name: "too much", role: "ADMIN", expiresInDays: 90 }, context)).rejects.toMatchObject({
      code: "forbidden",
      fieldErrors: { role: expect.stringMatching(/Operator, Viewer/) },
    });
    await expect(createApiToken(operator, { name: "sideways", role: "STAKEHOLDER", expiresInDays: 90 }, context)).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await db.apiToken.count()).toBe(before);
  });

  it("authenticates a valid bearer token as its owner with the token's role, touching lastUsedAt at most once a minute", async () => {
    const { token, id } = await createApiToken(operator, { name: "pusher", role: "VIEWER", expiresInDays: 1 }, context);
    const t0 = new Date();
    const auth = await authenticateApiToken(`Bearer ${token}`, t0);
    expect(auth).toMatchObject({ ok: true, principal: { tokenId: id, role: "VIEWER", user: { id: operator.id, email: operator.email, role: "OPERATOR" } } });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(t0);
    await authenticateApiToken(`Bearer ${token}`, new Date(t0.getTime() + 30_000));
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(t0);
    const later = new Date(t0.getTime() + 61_000);
    await authenticateApiToken(`bearer ${token}`, later);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(later);
  });

  it.each([
    [null, "missing"],
    ["Basic abc", "invalid"],
    ["Bearer opt_short", "invalid"],
    [`Bearer opt_${"A".repeat(43)}`, "invalid"],
  ])("refuses the header %j as %s", async (header, reason) => {
    expect(await authenticateApiToken(header)).toMatchObject({ ok: false, reason });
  });

  it("stops a token once it is expired, revoked, its owner deactivated or demoted below it", async () => {
    const now = new Date();
    const expiring = await createApiToken(operator, { name: "short", role: "VIEWER", expiresInDays: 1 }, context);
    expect(await authenticateApiToken(`Bearer ${expiring.token}`, new Date(now.getTime() + 86_400_000 + 1_000))).toMatchObject({ ok: false, reason: "expired" });

    const revoked = await createApiToken(operator, { name: "revoke me", role: "VIEWER", expiresInDays: 5 }, context);
    await revokeApiToken(operator, revoked.id, context);
    expect(await authenticateApiToken(`Bearer ${revoked.token}`)).toMatchObject({ ok: false, reason: "revoked" });

    const owner = await person("OPERATOR");
    const ops = await createApiToken(owner, { name: "ops", role: "OPERATOR", expiresInDays: 5 }, context);
    const viewer = await createApiToken(owner, { name: "viewer", role: "VIEWER", expiresInDays: 5 }, context);
    await db.user.update({ where: { id: owner.id }, data: { role: "VIEWER" } });
    expect(await authenticateApiToken(`Bearer ${ops.token}`)).toMatchObject({ ok: false, reason: "owner_role_lowered" });
    expect(await authenticateApiToken(`Bearer ${viewer.token}`)).toMatchObject({ ok: true });
    await db.user.update({ where: { id: owner.id }, data: { active: false } });
    expect(await authenticateApiToken(`Bearer ${viewer.token}`)).toMatchObject({ ok: false, reason: "owner_inactive" });
  });

  it("lets people revoke their own tokens, admins anyone's, and hides others' tokens from the rest", async () => {
    const mine = await createApiToken(other, { name: "release bot", role: "RELEASE_MANAGER", expiresInDays: 10 }, context);
    await expect(revokeApiToken(operator, mine.id, context)).rejects.toMatchObject({ code: "not_found" });
    expect((await listApiTokens(operator)).some((t) => t.id === mine.id)).toBe(false);
    expect((await listApiTokens(other)).map((t) => t.id)).toEqual([mine.id]);
    const all = await listApiTokens(admin);
    expect(all.find((t) => t.id === mine.id)?.owner.email).toBe(other.email);

    expect(await revokeApiToken(admin, mine.id, context)).toEqual({ name: "release bot", alreadyRevoked: false });
    expect(await revokeApiToken(other, mine.id, context)).toEqual({ name: "release bot", alreadyRevoked: true });
    const events = await db.auditEvent.findMany({ where: { action: "api_token.revoked", targetId: mine.id } });
    expect(events).toHaveLength(1);
    expect(events[0]!.actorLabel).toBe(admin.email);
    expect(JSON.parse(events[0]!.changes)).toMatchObject({ owner: other.email, prefix: mine.prefix });
  });
});
