import type { Prisma } from "../db/client.ts";
import { emailEnabled } from "./mail-config.ts";

type Tx = Prisma.TransactionClient;

export type NotificationMessage = {
  /** Machine-readable kind, e.g. "change.approval_needed". */
  kind: string;
  title: string;
  body?: string;
  /** Path inside the portal the notification opens, e.g. /changes/CHG-000123. */
  link?: string;
};

/**
 * Tells people something inside the caller's transaction: one in-app notification each and, when
 * SMTP is configured, one queued email each (sent after commit by lib/notifications/outbox.ts).
 * Writing both with the change that caused them means nobody hears about a change that rolled back.
 * Inactive users and duplicates are skipped; returns who was notified, for the audit trail.
 */
export async function notify(
  tx: Tx,
  userIds: readonly string[],
  message: NotificationMessage,
): Promise<{ id: string; name: string; email: string }[]> {
  const unique = [...new Set(userIds)];
  if (!unique.length) return [];
  const users = await tx.user.findMany({
    where: { id: { in: unique }, active: true },
    select: { id: true, name: true, email: true },
    orderBy: { name: "asc" },
  });
  if (!users.length) return [];
  const title = message.title.slice(0, 191);
  const link = (message.link ?? "").slice(0, 191);
  await tx.notification.createMany({
    data: users.map((u) => ({ userId: u.id, kind: message.kind, title, body: message.body ?? "", link })),
  });
  if (emailEnabled()) {
    await tx.emailOutbox.createMany({
      data: users.map((u) => ({ to: u.email, subject: title, text: emailText(message) })),
    });
  }
  return users;
}

function emailText(message: NotificationMessage): string {
  const base = (process.env.PORTAL_URL ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, "");
  const lines = [message.title, ""];
  if (message.body) lines.push(message.body, "");
  if (message.link) lines.push(`Open it in Ops Portal: ${base}${message.link}`, "");
  lines.push("You receive this because you are named on it in Ops Portal.");
  return lines.join("\n");
}
