import { beforeAll, describe, expect, it } from "vitest";
import { resolveSession } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import { auditOf, makeUser, signInAs, TEST_CONTEXT } from "../testing/actors.ts";
import { listActiveSessions } from "./queries.ts";
import { revokeOtherOwnSessions, revokeOwnSession } from "./service.ts";

const firefox = { ip: "198.51.100.20", userAgent: "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0" };

describe("my sessions", () => {
  let userId: string;
  beforeAll(async () => {
    userId = (await makeUser("VIEWER")).id;
  });

  it("lists the user's live sessions with a readable device and marks the current one first", async () => {
    const laptop = await signInAs(userId, TEST_CONTEXT);
    const other = await signInAs(userId, firefox);
    const revoked = await signInAs(userId, firefox);
    await db.session.update({ where: { id: revoked.sessionId }, data: { revokedAt: new Date() } });
    const stranger = await signInAs((await makeUser("VIEWER")).id);

    const list = await listActiveSessions(userId, laptop.sessionId);
    const ids = list.map((s) => s.id);
    expect(ids[0]).toBe(laptop.sessionId);
    expect(ids).toContain(other.sessionId);
    expect(ids).not.toContain(revoked.sessionId);
    expect(ids).not.toContain(stranger.sessionId);
    expect(list[0]).toMatchObject({ current: true, device: "Chrome 156 on Linux", ip: TEST_CONTEXT.ip });
    expect(list.find((s) => s.id === other.sessionId)).toMatchObject({ current: false, device: "Firefox 128 on Windows" });
  });

  it("revokes one other session, which stops resolving at once, and audits it", async () => {
    const me = await signInAs(userId);
    const other = await signInAs(userId, firefox);
    expect(await revokeOwnSession(me.user, { sessionId: other.sessionId }, TEST_CONTEXT)).toEqual({
      device: "Firefox 128 on Windows",
    });
    expect(await resolveSession(other.token)).toBeNull();
    expect(await resolveSession(me.token)).not.toBeNull();
    const [event] = await auditOf("session.revoked", other.sessionId);
    expect(event).toMatchObject({ actorId: userId, targetType: "Session" });
    expect(event?.changes).toMatchObject({ device: "Firefox 128 on Windows", ip: firefox.ip, by: "owner" });
  });

  it("will not revoke the current session or another user's session", async () => {
    const me = await signInAs(userId);
    const stranger = await signInAs((await makeUser("VIEWER")).id);
    await expect(revokeOwnSession(me.user, { sessionId: me.sessionId }, TEST_CONTEXT)).rejects.toThrow("Use Sign out");
    await expect(revokeOwnSession(me.user, { sessionId: stranger.sessionId }, TEST_CONTEXT)).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await resolveSession(stranger.token)).not.toBeNull();
  });

  it("signs out every other session but keeps the current one", async () => {
    const me = await signInAs(userId);
    const others = [await signInAs(userId, firefox), await signInAs(userId, firefox)];
    const live = (await listActiveSessions(userId, me.sessionId)).length;
    const { count } = await revokeOtherOwnSessions(me.user, TEST_CONTEXT);
    expect(count).toBe(live - 1);
    for (const o of others) expect(await resolveSession(o.token)).toBeNull();
    expect(await resolveSession(me.token)).not.toBeNull();
    expect((await listActiveSessions(userId, me.sessionId)).map((s) => s.id)).toEqual([me.sessionId]);
    expect((await auditOf("session.revoked_all", userId)).at(-1)?.changes).toMatchObject({ count, kept: me.sessionId });
  });
});
