import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { auditOf, makeUser, signInAs, TEST_CONTEXT } from "@/lib/testing/actors";
import { notify } from "./notify.ts";
import { listNotifications, unreadCount } from "./queries.ts";
import { markAllRead, markRead, safeLink } from "./service.ts";

async function tell(userId: string, title: string, link = "/changes/CHG-000001") {
  await db.$transaction((tx) => notify(tx, [userId], { kind: "change.approval_needed", title, link }));
  return db.notification.findFirstOrThrow({ where: { userId, title } });
}

async function personWithNotifications(count: number) {
  const { user } = await signInAs((await makeUser("STAKEHOLDER")).id);
  for (let i = 1; i <= count; i++) {
    await tell(user.id, `Notice ${i}`);
    await new Promise((r) => setTimeout(r, 5)); // distinct createdAt for the ordering check
  }
  return user;
}

describe("notification centre", () => {
  it("lists the user's own notifications newest first, a page at a time, with the unread count", async () => {
    const me = await personWithNotifications(5);
    const other = await personWithNotifications(2);

    const first = await listNotifications(me, { page: 1, pageSize: 2 });
    expect(first.items.map((n) => n.title)).toEqual(["Notice 5", "Notice 4"]);
    expect(first).toMatchObject({ total: 5, unread: 5, page: 1, pageCount: 3 });
    const last = await listNotifications(me, { page: 3, pageSize: 2 });
    expect(last.items.map((n) => n.title)).toEqual(["Notice 1"]);
    // A page past the end shows the last page rather than nothing.
    expect((await listNotifications(me, { page: 99, pageSize: 2 })).page).toBe(3);

    expect(await unreadCount(me)).toBe(5);
    expect(await unreadCount(other)).toBe(2);
  });

  it("marks one notification read, audited, and returns where it leads", async () => {
    const me = await personWithNotifications(2);
    const target = await db.notification.findFirstOrThrow({ where: { userId: me.id, title: "Notice 1" } });

    expect(await markRead(me, { id: target.id }, TEST_CONTEXT)).toEqual({ link: "/changes/CHG-000001", changed: true });
    expect(await unreadCount(me)).toBe(1);
    expect((await db.notification.findUniqueOrThrow({ where: { id: target.id } })).readAt).toBeInstanceOf(Date);
    const events = await auditOf("notification.read", target.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: me.id, targetType: "Notification", changes: { kind: "change.approval_needed", count: 1 } });

    // Opening it again changes nothing and records nothing.
    expect(await markRead(me, { id: target.id }, TEST_CONTEXT)).toEqual({ link: "/changes/CHG-000001", changed: false });
    expect(await auditOf("notification.read", target.id)).toHaveLength(1);
  });

  it("refuses to touch someone else's notification, as if it did not exist", async () => {
    const me = await personWithNotifications(0);
    const other = await personWithNotifications(1);
    const theirs = await db.notification.findFirstOrThrow({ where: { userId: other.id } });

    await expect(markRead(me, { id: theirs.id }, TEST_CONTEXT)).rejects.toMatchObject({ code: "not_found" });
    expect((await db.notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt).toBeNull();
    expect(await auditOf("notification.read", theirs.id)).toHaveLength(0);
  });

  it("marks all of the user's notifications read in one audited event with the count, and only theirs", async () => {
    const me = await personWithNotifications(3);
    const other = await personWithNotifications(2);
    await markRead(me, { id: (await db.notification.findFirstOrThrow({ where: { userId: me.id } })).id }, TEST_CONTEXT);

    expect(await markAllRead(me, TEST_CONTEXT)).toEqual({ count: 2 });
    expect(await unreadCount(me)).toBe(0);
    expect(await unreadCount(other)).toBe(2);
    const events = await auditOf("notification.read", me.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targetType: "User", changes: { all: true, count: 2 } });

    // Nothing left unread: no change, no event.
    expect(await markAllRead(me, TEST_CONTEXT)).toEqual({ count: 0 });
    expect(await auditOf("notification.read", me.id)).toHaveLength(1);
  });

  it("only follows links that stay inside the portal", () => {
    expect(safeLink("/changes/CHG-000123")).toBe("/changes/CHG-000123");
    expect(safeLink("")).toBeNull();
    expect(safeLink("https://evil.example/")).toBeNull();
    expect(safeLink("//evil.example/x")).toBeNull();
    expect(safeLink("/\\evil.example")).toBeNull();
    expect(safeLink("javascript:alert(1)")).toBeNull();
  });
});
