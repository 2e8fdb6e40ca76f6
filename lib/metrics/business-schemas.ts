import { z } from "zod";
import { ZRangeQuery } from "../charts/range.ts";

/**
 * What POST /api/v1/metrics accepts, and the query the business-metric charts take. Names and
 * labels follow Prometheus' rules so the same metric can be pushed here and scraped there.
 */
export const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const PUSH_LIMITS = {
  seriesPerPush: 1_000,
  pointsPerPush: 10_000,
  labelsPerSeries: 20,
  labelValueChars: 200,
  /** Metric names are stored in an indexed column (191 characters on MySQL). */
  metricNameChars: 150,
  labelNameChars: 100,
  /** How far ahead of the server's clock a point may be stamped. */
  futureMs: 5 * 60_000,
} as const;

/** Points older than this many days are refused on push and deleted by pruneBusinessMetrics(). */
export function metricsRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const days = Number(env.METRICS_RETENTION_DAYS ?? "");
  return Number.isInteger(days) && days > 0 ? days : 400;
}

const n = (x: number) => x.toLocaleString("en-US");

// Before 1973 in milliseconds is 2001-5138 in seconds: a number that small was almost surely sent in seconds.
const LOOKS_LIKE_SECONDS = 1e11;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

type TimeRule = { latest: number; oldest: number; retentionDays: number };

/** A point's `at` as epoch ms, or the message saying what is wrong with it. */
function checkTimestamp(v: unknown, rule: TimeRule): number | string {
  let ms: number;
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) return "must be whole epoch milliseconds";
    if (Math.abs(v) < LOOKS_LIKE_SECONDS) return "looks like epoch seconds: send epoch milliseconds (or an ISO 8601 time)";
    ms = v;
  } else if (typeof v === "string") {
    const text = v.trim();
    ms = ISO_WITH_ZONE.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(ms)) return "must be an ISO 8601 time with a zone, such as 2026-11-27T10:00:00Z";
  } else {
    return "must be an ISO 8601 time with a zone (2026-11-27T10:00:00Z) or epoch milliseconds";
  }
  if (ms > rule.latest) return `is more than 5 minutes in the future (${new Date(ms).toISOString()}): check the sender's clock`;
  if (ms < rule.oldest) return `is older than the ${n(rule.retentionDays)}-day retention (${new Date(ms).toISOString()})`;
  return ms;
}

export type MetricPointInput = { at: Date; value: number };

/**
 * A series' points. Checked by one loop rather than a zod object per point: with 10,000 points a
 * push, per-point schemas cost 100-300 ms of the request; this costs a few. Same rules, same
 * item-precise messages (`points[5].value: must be a finite number`).
 */
function pointsSchema(now: Date, retentionDays: number) {
  const rule: TimeRule = { latest: now.getTime() + PUSH_LIMITS.futureMs, oldest: now.getTime() - retentionDays * 86_400_000, retentionDays };
  return z
    .array(z.unknown(), { error: "must be an array of points" })
    .min(1, "must have at least one point")
    .transform((items, ctx): MetricPointInput[] => {
      const out: MetricPointInput[] = [];
      items.forEach((item, i) => {
        if (!item || typeof item !== "object" || Array.isArray(item)) {
          ctx.addIssue({ code: "custom", path: [i], message: 'must be an object {"at": …, "value": …}' });
          return;
        }
        const { at, value, ...extra } = item as Record<string, unknown>;
        const unknown = Object.keys(extra);
        if (unknown.length) {
          ctx.addIssue({ code: "custom", path: [i], message: `unknown field ${unknown.map((k) => `"${k}"`).join(", ")} (allowed: at, value)` });
        }
        const ms = checkTimestamp(at, rule);
        if (typeof ms === "string") ctx.addIssue({ code: "custom", path: [i, "at"], message: ms });
        // JSON cannot say NaN or Infinity, but 1e999 parses to Infinity.
        if (typeof value !== "number" || !Number.isFinite(value)) ctx.addIssue({ code: "custom", path: [i, "value"], message: "must be a finite number" });
        else if (typeof ms === "number" && !unknown.length) out.push({ at: new Date(ms), value });
      });
      return out;
    });
}

const metricName = z
  .string({ error: "must be a string" })
  .min(1, "must not be empty")
  .max(PUSH_LIMITS.metricNameChars, `must be at most ${PUSH_LIMITS.metricNameChars} characters`)
  .regex(METRIC_NAME_RE, "must match [a-zA-Z_:][a-zA-Z0-9_:]* (letters, digits, _ and :, not starting with a digit)");

const labels = z
  .record(z.string(), z.unknown(), { error: 'must be an object of label names to string values, e.g. {"region": "eu"}' })
  .default({})
  .superRefine((record, ctx) => {
    const keys = Object.keys(record);
    if (keys.length > PUSH_LIMITS.labelsPerSeries) {
      ctx.addIssue({ code: "custom", message: `at most ${PUSH_LIMITS.labelsPerSeries} labels per series (got ${keys.length})` });
    }
    for (const key of keys) {
      const value = record[key];
      if (key.length > PUSH_LIMITS.labelNameChars || !LABEL_NAME_RE.test(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: "label names must match [a-zA-Z_][a-zA-Z0-9_]*" });
      } else if (key.startsWith("__")) {
        ctx.addIssue({ code: "custom", path: [key], message: 'label names starting with "__" are reserved' });
      } else if (typeof value !== "string") {
        ctx.addIssue({ code: "custom", path: [key], message: "label values must be strings" });
      } else if (value === "") {
        ctx.addIssue({ code: "custom", path: [key], message: "must not be empty (leave the label out instead)" });
      } else if (value.length > PUSH_LIMITS.labelValueChars) {
        ctx.addIssue({ code: "custom", path: [key], message: `label values must be at most ${PUSH_LIMITS.labelValueChars} characters` });
      }
    }
  })
  .transform((record) => record as Record<string, string>);

/** An object's own type message, and a plain one for typos (unknown fields). */
function objectError(expected: string, allowed: string) {
  return (iss: z.core.$ZodRawIssue): string | undefined => {
    if (iss.code === "unrecognized_keys") return `unknown field ${iss.keys.map((k) => `"${k}"`).join(", ")} (allowed: ${allowed})`;
    if (iss.code === "invalid_type") return expected;
    return undefined;
  };
}

/** The body of POST /api/v1/metrics, checked against the server's clock and the retention. */
export function metricsPushSchema(now = new Date(), retentionDays = metricsRetentionDays()) {
  const series = z.strictObject(
    {
      name: metricName,
      labels,
      points: pointsSchema(now, retentionDays),
    },
    { error: objectError('must be an object {"name": …, "labels": {…}, "points": […]}', "name, labels, points") },
  );
  return z
    .strictObject({ series: z.array(series, { error: "must be an array of series" }).min(1, "must have at least one series") }, { error: objectError('send an object {"series": […]}', "series") })
    .superRefine((body, ctx) => {
      if (body.series.length > PUSH_LIMITS.seriesPerPush) {
        ctx.addIssue({ code: "custom", path: ["series"], message: `at most ${n(PUSH_LIMITS.seriesPerPush)} series per push (got ${n(body.series.length)}): split it` });
      }
      const points = body.series.reduce((sum, s) => sum + s.points.length, 0);
      if (points > PUSH_LIMITS.pointsPerPush) {
        ctx.addIssue({ code: "custom", path: ["series"], message: `at most ${n(PUSH_LIMITS.pointsPerPush)} points per push (got ${n(points)}): split it` });
      }
    });
}
export type TMetricsPush = z.infer<ReturnType<typeof metricsPushSchema>>;

/** How a chart folds the points inside one bucket into one value. */
export const AGGREGATIONS = ["avg", "sum", "min", "max", "last"] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];
export const AGGREGATION_LABELS: Record<Aggregation, string> = {
  avg: "Average",
  sum: "Sum",
  min: "Minimum",
  max: "Maximum",
  last: "Last value",
};

const LABEL_PARAM = "label.";

/**
 * ?name=orders_placed&range=24h&agg=sum&label.region=eu: one metric over a range, optionally
 * narrowed to series whose labels equal the given values.
 */
export const ZBusinessMetricQuery = z.preprocess(
  (raw) => {
    if (!raw || typeof raw !== "object") return raw;
    const rest: Record<string, unknown> = {};
    const filter: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (key.startsWith(LABEL_PARAM)) {
        if (value !== "") filter[key.slice(LABEL_PARAM.length)] = value;
      } else rest[key] = value;
    }
    return { ...rest, labels: filter };
  },
  ZRangeQuery.safeExtend({
    name: metricName,
    agg: z.enum(AGGREGATIONS, { message: "Choose avg, sum, min, max or last." }).default("avg"),
    labels: z.record(z.string().regex(LABEL_NAME_RE, "Label names look like region or plan_tier."), z.string({ error: "Give each label once." }).max(PUSH_LIMITS.labelValueChars)).default({}),
    format: z.enum(["json", "csv"]).default("json"),
  }),
);
export type TBusinessMetricQuery = z.infer<typeof ZBusinessMetricQuery>;
