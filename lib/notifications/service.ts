import { recordAudit, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertPermission } from "../rbac/assert.ts";
import type { TNotificationIdInput } from "./schemas.ts";

/*
 * Marking notifications read. Only the owner's own rows are ever matched (a foreign id reads as
 * "not found", so ids cannot be probed), and each change is audited in its transaction.
 */

/** Where a notification may send the browser: a path inside the portal, nothing else. */
export function safeLink(link: string): string | null {
  return /^\/(?![/\\])/.test(link) ? link : null;
}

/** Marks one of the user's notifications read (already read: no change, no event); returns its link. */
export async function markRead(
  user: CurrentUser,
  input: TNotificationIdInput,
  context: RequestContext,
): Promise<{ link: string | null; changed: boolean }> {
  assertPermission(user, "notification.read_own");
  return db.$transaction(async (tx) => {
    const row = await tx.notification.findFirst({
      where: { id: input.id, userId: user.id },
      select: { id: true, kind: true, link: true },
    });
    if (!row) throw new AppError("not_found", "That notification no longer exists.");
    const { count } = await tx.notification.updateMany({
      where: { id: row.id, userId: user.id, readAt: null },
      data: { readAt: new Date() },
    });
    if (count > 0) {
      await recordAudit(tx, {
        action: "notification.read",
        actor: { id: user.id, label: user.email },
        context,
        target: { type: "Notification", id: row.id },
        changes: { kind: row.kind, count },
      });
    }
    return { link: safeLink(row.link), changed: count > 0 };
  });
}

/** Marks every unread notification of the user read: one audit event with how many. */
export async function markAllRead(user: CurrentUser, context: RequestContext): Promise<{ count: number }> {
  assertPermission(user, "notification.read_own");
  return db.$transaction(async (tx) => {
    const { count } = await tx.notification.updateMany({
      where: { userId: user.id, readAt: null },
      data: { readAt: new Date() },
    });
    if (count > 0) {
      await recordAudit(tx, {
        action: "notification.read",
        actor: { id: user.id, label: user.email },
        context,
        target: { type: "User", id: user.id },
        changes: { all: true, count },
      });
    }
    return { count };
  });
}
