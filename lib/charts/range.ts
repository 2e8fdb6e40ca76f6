import { z } from "zod";

/**
 * Time ranges for every chart (health, Prometheus panels, business metrics): one parser for the
 * `range`/`from`/`to` query, and one rule for the bucket width that keeps any series at or under
 * MAX_POINTS points whatever the range (the server downsamples; the browser never gets more).
 */
export const RANGE_PRESETS = ["1h", "24h", "7d", "30d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const RANGE_LABELS: Record<RangePreset | "custom", string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  custom: "Custom",
};

const PRESET_MS: Record<RangePreset, number> = {
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

/** Charts never receive more points per series than this. */
export const MAX_POINTS = 1_000;
/** The longest custom range accepted: beyond a year the hourly roll-ups are gone anyway. */
export const MAX_RANGE_MS = 400 * 86_400_000;

export type TimeRange = { preset: RangePreset | "custom"; from: Date; to: Date };

const isoDate = z
  .string()
  .trim()
  .refine((s) => !Number.isNaN(Date.parse(s)), "Enter a date and time such as 2026-11-27T09:00.")
  .transform((s) => new Date(s));

/** The query fields a chart endpoint accepts: ?range=24h or ?range=custom&from=…&to=… */
export const ZRangeQuery = z
  .object({
    range: z.enum([...RANGE_PRESETS, "custom"], { message: "Choose 1h, 24h, 7d, 30d or custom." }).default("24h"),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.range !== "custom") return;
    if (!q.from) ctx.addIssue({ code: "custom", path: ["from"], message: "A custom range needs a start." });
    if (!q.to) ctx.addIssue({ code: "custom", path: ["to"], message: "A custom range needs an end." });
    if (q.from && q.to && q.from >= q.to) ctx.addIssue({ code: "custom", path: ["to"], message: "The end must be after the start." });
    if (q.from && q.to && q.to.getTime() - q.from.getTime() > MAX_RANGE_MS)
      ctx.addIssue({ code: "custom", path: ["to"], message: "A range can span at most 400 days." });
  });
export type TRangeQuery = z.infer<typeof ZRangeQuery>;

/** The concrete window a parsed query stands for, ending now for presets. */
export function resolveRange(query: TRangeQuery, now: Date = new Date()): TimeRange {
  if (query.range === "custom" && query.from && query.to) return { preset: "custom", from: query.from, to: query.to };
  const preset = query.range === "custom" ? "24h" : query.range;
  return { preset, from: new Date(now.getTime() - PRESET_MS[preset]), to: now };
}

/** Bucket widths people read easily on a time axis, smallest first. */
const NICE_STEPS_MS = [
  1_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
  7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/**
 * The bucket width for a range: the smallest "nice" width, not finer than the data's own step
 * (`minStepMs`, e.g. a check's interval or a roll-up's resolution), that yields at most maxPoints
 * buckets.
 */
export function bucketMsFor(range: Pick<TimeRange, "from" | "to">, minStepMs = 1_000, maxPoints = MAX_POINTS): number {
  const span = Math.max(1, range.to.getTime() - range.from.getTime());
  const needed = Math.max(minStepMs, span / maxPoints);
  const nice = NICE_STEPS_MS.find((step) => step >= needed);
  // Beyond a day per bucket, whole days.
  return nice ?? Math.ceil(needed / 86_400_000) * 86_400_000;
}

/** Start of the bucket holding `t` (buckets are aligned to the epoch, so they are stable across refreshes). */
export function bucketStart(t: number, bucketMs: number): number {
  return Math.floor(t / bucketMs) * bucketMs;
}
