"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { ZNotificationIdInput } from "@/lib/notifications/schemas";
import { markAllRead, markRead } from "@/lib/notifications/service";

// The header's unread count is rendered by the portal layout: refresh it with the page.
function refreshed<T>(value: T): T {
  revalidatePath("/", "layout");
  return value;
}

export const markNotificationReadAction = defineAction(
  { name: "notification.mark_read", permission: "notification.read_own", schema: ZNotificationIdInput },
  async (c) => refreshed(await markRead(c.user, c.input, c.request)),
);

export const markAllNotificationsReadAction = defineAction(
  { name: "notification.mark_all_read", permission: "notification.read_own", schema: z.object({}) },
  async (c) => refreshed(await markAllRead(c.user, c.request)),
);
