import { describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { notify } from "@/lib/notifications/notify";
import { makeUser } from "@/lib/testing/actors";

// The route reads the session cookie through next/headers; here the signed-in user is given directly.
const session = vi.hoisted(() => ({ user: null as CurrentUser | null, touch: [] as (boolean | undefined)[] }));
vi.mock("@/lib/auth/current-user", () => ({
  currentUser: async (options: { touch?: boolean } = {}) => {
    session.touch.push(options.touch);
    return session.user;
  },
}));
const { GET } = await import("./route.ts");

const request = () => new Request("http://portal.test/api/notifications/unread", { headers: { "user-agent": "vitest" } });

describe("GET /api/notifications/unread", () => {
  it("answers the signed-in user's own unread count without counting as activity", async () => {
    const me = await makeUser("VIEWER");
    const other = await makeUser("VIEWER");
    await db.$transaction((tx) => notify(tx, [me.id, other.id], { kind: "test", title: "Hello" }));
    await db.$transaction((tx) => notify(tx, [other.id], { kind: "test", title: "Only for the other" }));
    session.user = { id: me.id, email: me.email, name: me.name, role: "VIEWER", sessionId: "s1", stepUpAt: null };

    const res = await GET(request());
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ unread: 1 });
    expect(session.touch.at(-1)).toBe(false);
  });

  it("answers 401 without a session", async () => {
    session.user = null;
    expect((await GET(request())).status).toBe(401);
  });
});
