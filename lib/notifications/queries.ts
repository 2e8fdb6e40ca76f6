import type { CurrentUser } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import { assertPermission } from "../rbac/assert.ts";

/** Reads of the signed-in user's own notifications; nobody reads anyone else's. */

const PAGE_SIZE = 20;

type NotificationItem = {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  createdAt: Date;
  readAt: Date | null;
};

export async function unreadCount(user: CurrentUser): Promise<number> {
  assertPermission(user, "notification.read_own");
  return db.notification.count({ where: { userId: user.id, readAt: null } });
}

/** One page of the user's notifications, newest first, with the unread count for the header. */
export async function listNotifications(
  user: CurrentUser,
  options: { page?: number; pageSize?: number } = {},
): Promise<{ items: NotificationItem[]; total: number; unread: number; page: number; pageCount: number }> {
  assertPermission(user, "notification.read_own");
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const [total, unread] = await Promise.all([
    db.notification.count({ where: { userId: user.id } }),
    db.notification.count({ where: { userId: user.id, readAt: null } }),
  ]);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);
  const items = await db.notification.findMany({
    where: { userId: user.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * pageSize,
    take: pageSize,
    select: { id: true, kind: true, title: true, body: true, link: true, createdAt: true, readAt: true },
  });
  return { items, total, unread, page, pageCount };
}
