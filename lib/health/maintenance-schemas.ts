import { z } from "zod";
import { utcDateTime } from "../freeze/schemas.ts";

/** The longest maintenance window: a week. Longer "maintenance" is an outage or a retired service. */
export const MAX_MAINTENANCE_DAYS = 7;

/*
 * Times come from `datetime-local` inputs, read as UTC like every time in the portal (the freeze
 * windows' parser). The rules that need "now" (not in the past) are in maintenance.ts.
 */
export const ZScheduleMaintenanceInput = z
  .object({
    serviceId: z.string().trim().min(1, "Choose a service.").max(64, "That is not a service id."),
    startsAt: utcDateTime("Enter when the maintenance starts."),
    endsAt: utcDateTime("Enter when the maintenance ends."),
    reason: z
      .string({ message: "Say what the maintenance is for." })
      .trim()
      .min(1, "Say what the maintenance is for, e.g. \"Database upgrade to 10.11\".")
      .max(2000, "Keep the reason under 2,000 characters."),
  })
  .superRefine((input, ctx) => {
    const length = input.endsAt.getTime() - input.startsAt.getTime();
    if (length <= 0) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "The maintenance must end after it starts." });
    } else if (length > MAX_MAINTENANCE_DAYS * 86_400_000) {
      ctx.addIssue({
        code: "custom",
        path: ["endsAt"],
        message: `A maintenance window lasts at most ${MAX_MAINTENANCE_DAYS} days; schedule longer work as several windows.`,
      });
    }
  });
export type TScheduleMaintenanceInput = z.infer<typeof ZScheduleMaintenanceInput>;

export const ZMaintenanceIdInput = z.object({
  maintenanceId: z.string().trim().min(1, "Choose a maintenance window.").max(64, "That is not a maintenance window id."),
});
export type TMaintenanceIdInput = z.infer<typeof ZMaintenanceIdInput>;
