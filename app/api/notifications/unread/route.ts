import { z } from "zod";
import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { unreadCount } from "@/lib/notifications/queries";

/** The header's unread count, polled by the bell; polling does not keep an idle session alive. */
export const GET = defineSessionHandler(
  { name: "notification.unread", permission: "notification.read_own", query: z.object({}), touchSession: false },
  async ({ user }) => Response.json({ unread: await unreadCount(user) }, { headers: { "cache-control": "no-store" } }),
);
