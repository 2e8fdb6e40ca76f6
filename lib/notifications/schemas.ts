import { z } from "zod";

export const ZNotificationIdInput = z.object({ id: z.string().trim().min(1, "Choose a notification.").max(64) });
export type TNotificationIdInput = z.infer<typeof ZNotificationIdInput>;

export const ZNotificationListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});
