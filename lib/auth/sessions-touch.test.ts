import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { makeUser, signInAs } from "@/lib/testing/actors";
import { resolveSession } from "./sessions.ts";

describe("resolveSession activity", () => {
  it("does not refresh lastSeenAt for background polling, so an idle session still ends", async () => {
    const { token, sessionId } = await signInAs((await makeUser("VIEWER")).id);
    const earlier = new Date(Date.now() - 5 * 60_000);
    await db.session.update({ where: { id: sessionId }, data: { lastSeenAt: earlier } });

    expect(await resolveSession(token, new Date(), { touch: false })).not.toBeNull();
    expect((await db.session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt).toEqual(earlier);

    expect(await resolveSession(token)).not.toBeNull();
    expect((await db.session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt.getTime()).toBeGreaterThan(earlier.getTime());
  });
});
