import { z } from "zod";

/*
 * Freeze-window input. Times arrive from a `datetime-local` input ("2026-12-20T18:00", no zone) or
 * an ISO string with a zone; the portal shows and takes times in UTC (see lib/ui/format.ts), so a
 * value without a zone is read as UTC, never as the server's local time.
 */

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/** "2026-12-20T18:00" (read as UTC) or a full ISO timestamp; null when it is not a date. */
export function parseUtcDateTime(value: string): Date | null {
  const s = value.trim();
  if (!s) return null;
  const date = new Date(LOCAL_DATE_TIME.test(s) ? `${s}Z` : s);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date-time field read as UTC (see parseUtcDateTime); `missing` is the message for a blank one. */
export function utcDateTime(missing: string) {
  return z
    .union([z.string(), z.date()])
    .transform((value, ctx) => {
      if (typeof value === "string" && !value.trim()) {
        ctx.addIssue({ code: "custom", message: missing });
        return z.NEVER;
      }
      const date = value instanceof Date ? value : parseUtcDateTime(value);
      if (!date || Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: "custom", message: "Enter a date and time, like 2026-12-20 18:00." });
        return z.NEVER;
      }
      return date;
    });
}

export const FREEZE_ENVIRONMENTS = ["PRODUCTION", "STAGING"] as const;

export const ZCreateFreezeWindowInput = z
  .object({
    startsAt: utcDateTime("Enter when the freeze starts."),
    endsAt: utcDateTime("Enter when the freeze ends."),
    /** Empty: the freeze applies to every environment. */
    environment: z
      .union([z.enum(FREEZE_ENVIRONMENTS), z.literal(""), z.null()])
      .optional()
      .transform((v) => (v ? v : null)),
    reason: z
      .string()
      .trim()
      .min(1, "Say why changes are frozen, e.g. \"Black Friday trading\".")
      .max(2000, "Keep the reason under 2,000 characters."),
  })
  .superRefine((input, ctx) => {
    if (input.endsAt.getTime() <= input.startsAt.getTime()) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "The freeze must end after it starts." });
    }
  });
export type TCreateFreezeWindowInput = z.infer<typeof ZCreateFreezeWindowInput>;

export const ZFreezeWindowIdInput = z.object({
  freezeWindowId: z.string().trim().min(1, "Choose a freeze window.").max(64, "That is not a freeze window id."),
});
export type TFreezeWindowIdInput = z.infer<typeof ZFreezeWindowIdInput>;
