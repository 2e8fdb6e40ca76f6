import { createHash } from "node:crypto";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { z } from "zod";
import type { ApiPrincipal } from "../api-tokens/authenticate.ts";
import { recordAudit, type RequestContext } from "../audit/record.ts";
import { bucketMsFor, resolveRange, MAX_POINTS } from "../charts/range.ts";
import { bucketMetricPoints, upsertMetricPoints, upsertMetricSeries, type PointRow, type SeriesRow } from "../db/business-metrics.ts";
import { databaseUrlOf, db } from "../db/client.ts";
import { providerOf, type DbProvider } from "../db/url.ts";
import { AppError } from "../errors.ts";
import { csvLine } from "../export/csv.ts";
import { can } from "../rbac/permissions.ts";
import type { FieldErrors } from "../validation/parse.ts";
import { metricsPushSchema, metricsRetentionDays, type Aggregation, type TBusinessMetricQuery, type TMetricsPush } from "./business-schemas.ts";

/** A chart shows at most this many series; the page says when a metric has more. */
export const MAX_SERIES_PER_CHART = 20;
/** Problems listed in a 400's `fields` (the message counts them all). */
const MAX_FIELD_ERRORS = 50;

const provider = (): DbProvider => providerOf(databaseUrlOf(db));

/** `series.2.points.5.value` -> `series[2].points[5].value`, the way a person reads JSON paths. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "body";
}

/**
 * The body of a push, checked; a 400 says exactly which item is wrong, e.g.
 * `series[2].points[5].value: must be a finite number`, and lists up to 50 problems in `fields`.
 */
export function parseMetricsPush(raw: unknown, now = new Date(), retentionDays = metricsRetentionDays()): TMetricsPush {
  const result = metricsPushSchema(now, retentionDays).safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues as z.core.$ZodIssue[];
  const fields: FieldErrors = {};
  for (const issue of issues) {
    if (Object.keys(fields).length >= MAX_FIELD_ERRORS) break;
    fields[formatIssuePath(issue.path)] ??= issue.message;
  }
  const [firstPath, firstMessage] = Object.entries(fields)[0] ?? ["body", "is not valid"];
  const more = issues.length - 1;
  const message = `${firstPath}: ${firstMessage}${more > 0 ? ` (and ${more.toLocaleString("en-US")} more ${more === 1 ? "problem" : "problems"}; nothing was stored)` : ""}`;
  throw new AppError("invalid_input", message, fields);
}

/** Labels as canonical JSON (keys sorted) and its sha256: the identity of a series with its name. */
export function canonicalLabels(labels: Record<string, string>): { json: string; hash: string } {
  const sorted = Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]!]));
  const json = JSON.stringify(sorted);
  return { json, hash: createHash("sha256").update(json).digest("hex") };
}

export type IngestResult = { series: number; points: number };

/**
 * Stores a push all-or-nothing: the body is validated first (a 400 stores nothing), then the
 * series are upserted, the points upserted on (series, at) (a retried push replaces values
 * instead of doubling them) and one `metrics.ingested` audit event written, in one transaction.
 * The same series or the same (series, at) twice in one push: the last one wins.
 */
export async function ingestBusinessMetrics(
  principal: ApiPrincipal,
  raw: unknown,
  context: RequestContext,
  now = new Date(),
): Promise<IngestResult> {
  if (!can(principal.role, "metrics.write")) throw new AppError("forbidden", "This token's role does not allow metrics.write.");
  const body = parseMetricsPush(raw, now);

  type Pending = { name: string; labels: { json: string; hash: string }; points: Map<number, number> };
  const bySeries = new Map<string, Pending>();
  for (const s of body.series) {
    const labels = canonicalLabels(s.labels);
    const key = `${s.name}\u0000${labels.hash}`;
    let pending = bySeries.get(key);
    if (!pending) bySeries.set(key, (pending = { name: s.name, labels, points: new Map() }));
    for (const p of s.points) pending.points.set(p.at.getTime(), p.value);
  }
  // Rows in key order: two pushes touching the same series or points lock them in the same order
  // (no deadlock between them on MySQL).
  const series = [...bySeries.values()].sort((a, b) => (a.name === b.name ? a.labels.hash.localeCompare(b.labels.hash) : a.name < b.name ? -1 : 1));
  const seriesRows: SeriesRow[] = series.map((s) => ({
    name: s.name,
    labels: s.labels.json,
    labelsHash: s.labels.hash,
    lastAt: new Date(Math.max(...s.points.keys())),
  }));
  const pointCount = series.reduce((sum, s) => sum + s.points.size, 0);
  const dialect = provider();

  await db.$transaction(
    async (tx) => {
      await upsertMetricSeries(tx, dialect, seriesRows, now);
      const stored = await tx.metricSeries.findMany({
        where: { name: { in: [...new Set(series.map((s) => s.name))] }, labelsHash: { in: [...new Set(series.map((s) => s.labels.hash))] } },
        select: { id: true, name: true, labelsHash: true },
      });
      const ids = new Map(stored.map((r) => [`${r.name}\u0000${r.labelsHash}`, r.id]));
      const points: PointRow[] = [];
      for (const s of series) {
        const seriesId = ids.get(`${s.name}\u0000${s.labels.hash}`);
        if (seriesId === undefined) throw new Error(`series ${s.name} was not stored`);
        for (const [at, value] of s.points) points.push({ seriesId, at: new Date(at), value });
      }
      points.sort((a, b) => a.seriesId - b.seriesId || a.at.getTime() - b.at.getTime());
      await upsertMetricPoints(tx, dialect, points);
      await recordAudit(tx, {
        action: "metrics.ingested",
        actor: { id: principal.user.id, label: `${principal.user.email} (API token ${principal.tokenPrefix})` },
        context,
        target: { type: "ApiToken", id: principal.tokenId },
        changes: {
          token: principal.tokenName,
          series: series.length,
          points: pointCount,
          metrics: [...new Set(series.map((s) => s.name))].slice(0, 20),
        },
      });
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  return { series: series.length, points: pointCount };
}

export type BusinessMetricSummary = {
  name: string;
  series: number;
  lastAt: Date | null;
  /** Each label key with the values seen (at most 50 listed; `more` says there are others). */
  labels: { key: string; values: string[]; more: boolean }[];
};

const MAX_LABEL_VALUES = 50;

function parseLabels(json: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Every metric name with its series count, last point time and label keys/values, by name. */
export async function listBusinessMetrics(): Promise<BusinessMetricSummary[]> {
  const rows = await db.metricSeries.findMany({ select: { name: true, labels: true, lastAt: true }, orderBy: { name: "asc" } });
  const byName = new Map<string, { series: number; lastAt: Date | null; labels: Map<string, Set<string>> }>();
  for (const row of rows) {
    let m = byName.get(row.name);
    if (!m) byName.set(row.name, (m = { series: 0, lastAt: null, labels: new Map() }));
    m.series += 1;
    if (row.lastAt && (!m.lastAt || row.lastAt > m.lastAt)) m.lastAt = row.lastAt;
    for (const [k, v] of Object.entries(parseLabels(row.labels))) {
      let values = m.labels.get(k);
      if (!values) m.labels.set(k, (values = new Set()));
      values.add(v);
    }
  }
  return [...byName].map(([name, m]) => ({
    name,
    series: m.series,
    lastAt: m.lastAt,
    labels: [...m.labels]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, values]) => {
        const sorted = [...values].sort((a, b) => a.localeCompare(b));
        return { key, values: sorted.slice(0, MAX_LABEL_VALUES), more: sorted.length > MAX_LABEL_VALUES };
      }),
  }));
}

/** The series of one metric (for GET /api/v1/metrics?name=…), most recently pushed first. */
export async function listBusinessMetricSeries(name: string): Promise<{ labels: Record<string, string>; lastAt: Date | null; createdAt: Date }[]> {
  const rows = await db.metricSeries.findMany({
    where: { name },
    select: { labels: true, lastAt: true, createdAt: true },
    orderBy: [{ lastAt: "desc" }, { id: "asc" }],
    take: 1_000,
  });
  return rows.map((r) => ({ labels: parseLabels(r.labels), lastAt: r.lastAt, createdAt: r.createdAt }));
}

/** A point of a chart: `t` is the bucket's start (epoch ms); each series key maps to its value or null. */
export type BusinessChartPoint = { t: number } & Record<string, number | null>;

export type BusinessMetricChart = {
  name: string;
  agg: Aggregation;
  from: number;
  to: number;
  bucketMs: number;
  series: { key: string; label: string; labels: Record<string, string> }[];
  points: BusinessChartPoint[];
  /** Series matching the metric and filter; only the MAX_SERIES_PER_CHART most recently pushed are shown. */
  totalSeries: number;
  capped: boolean;
};

export function seriesLabel(name: string, labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(", ") : name;
}

/**
 * One metric over a range, one line per label set (the filter keeps series whose labels equal the
 * given values), each point the aggregation of the points in a bucket. The bucket is no finer
 * than the densest series' average spacing between its points (so sparse data draws lines, not
 * lone dots between gaps) and never yields more than MAX_POINTS points per series; the database
 * does the GROUP BY.
 */
export async function queryBusinessMetric(query: TBusinessMetricQuery, now = new Date()): Promise<BusinessMetricChart> {
  const range = resolveRange(query, now);
  const filters = Object.entries(query.labels);
  const candidates = await db.metricSeries.findMany({
    where: { name: query.name },
    select: { id: true, labels: true, lastAt: true },
    orderBy: [{ lastAt: "desc" }, { id: "asc" }],
  });
  const matching = candidates
    .map((c) => ({ ...c, labels: parseLabels(c.labels) }))
    .filter((c) => filters.every(([k, v]) => c.labels[k] === v));
  const shown = matching
    .slice(0, MAX_SERIES_PER_CHART)
    .map((c) => ({ id: c.id, labels: c.labels, label: seriesLabel(query.name, c.labels) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const ids = shown.map((s) => s.id);

  let bucketMs = bucketMsFor(range);
  let rows: Awaited<ReturnType<typeof bucketMetricPoints>> = [];
  if (ids.length) {
    const stats = await db.metricPoint.groupBy({
      by: ["seriesId"],
      where: { seriesId: { in: ids }, at: { gte: range.from, lt: range.to } },
      _count: { _all: true },
      _min: { at: true },
      _max: { at: true },
    });
    // The densest series' average spacing where it has data (not over the whole range: data pushed
    // for the last half hour of a 24-hour range is still 5 minutes apart).
    const spacing = stats
      .filter((s) => s._count._all > 1 && s._min.at && s._max.at)
      .map((s) => (s._max.at!.getTime() - s._min.at!.getTime()) / (s._count._all - 1));
    const minStep = spacing.length ? Math.max(1_000, Math.floor(Math.min(...spacing))) : 1_000;
    bucketMs = bucketMsFor(range, minStep, MAX_POINTS);
    rows = await bucketMetricPoints(db, provider(), { seriesIds: ids, from: range.from, to: range.to, bucketMs, agg: query.agg });
  }

  const keyOf = new Map(shown.map((s, i) => [s.id, `s${i}`]));
  const byT = new Map<number, BusinessChartPoint>();
  for (const r of rows) {
    let point = byT.get(r.bucketStart);
    if (!point) {
      point = { t: r.bucketStart } as BusinessChartPoint;
      for (const key of keyOf.values()) point[key] = null;
      byT.set(r.bucketStart, point);
    }
    point[keyOf.get(r.seriesId)!] = r.value;
  }
  return {
    name: query.name,
    agg: query.agg,
    from: range.from.getTime(),
    to: range.to.getTime(),
    bucketMs,
    series: shown.map((s, i) => ({ key: `s${i}`, label: s.label, labels: s.labels })),
    points: [...byT.values()].sort((a, b) => a.t - b.t),
    totalSeries: matching.length,
    capped: matching.length > shown.length,
  };
}

/** The chart's data as CSV: one row per bucket, a column per series (the values shown). */
export function businessMetricCsv(chart: BusinessMetricChart): { filename: string; body: string } {
  let body = csvLine(["time", ...chart.series.map((s) => s.label)]);
  for (const p of chart.points) body += csvLine([new Date(p.t).toISOString(), ...chart.series.map((s) => p[s.key] ?? null)]);
  const stamp = new Date(chart.to).toISOString().slice(0, 16).replace(/[-:]/g, "");
  return { filename: `${chart.name}-${chart.agg}-${stamp}.csv`, body };
}

/** The API's shape of a chart: each series with its labels and `[{ at, value }]`. */
export function apiBusinessMetricView(chart: BusinessMetricChart) {
  return {
    name: chart.name,
    agg: chart.agg,
    from: new Date(chart.from).toISOString(),
    to: new Date(chart.to).toISOString(),
    bucketSeconds: chart.bucketMs / 1000,
    totalSeries: chart.totalSeries,
    capped: chart.capped,
    series: chart.series.map((s) => ({
      labels: s.labels,
      points: chart.points.flatMap((p) => {
        const v = p[s.key];
        return typeof v === "number" ? [{ at: new Date(p.t).toISOString(), value: v }] : [];
      }),
    })),
  };
}

/**
 * Deletes points older than METRICS_RETENTION_DAYS, a chunk at a time per series (each chunk a
 * short statement on the primary key, with a yield between, so a big backlog never holds a long
 * lock), then series with no point left inside the retention. For the background worker loop.
 */
export async function pruneBusinessMetrics(
  options: { now?: Date; retentionDays?: number; chunk?: number } = {},
): Promise<{ points: number; series: number }> {
  const now = options.now ?? new Date();
  const chunk = options.chunk ?? 5_000;
  const cutoff = new Date(now.getTime() - (options.retentionDays ?? metricsRetentionDays()) * 86_400_000);
  let points = 0;
  const series = await db.metricSeries.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  for (const { id } of series) {
    for (;;) {
      const edge = await db.metricPoint.findFirst({
        where: { seriesId: id, at: { lt: cutoff } },
        orderBy: { at: "asc" },
        skip: chunk - 1,
        select: { at: true },
      });
      const { count } = await db.metricPoint.deleteMany({ where: { seriesId: id, at: edge ? { lte: edge.at } : { lt: cutoff } } });
      points += count;
      if (!edge) break;
      await yieldToEventLoop();
    }
  }
  const gone = await db.metricSeries.deleteMany({ where: { OR: [{ lastAt: { lt: cutoff } }, { lastAt: null }], points: { none: {} } } });
  return { points, series: gone.count };
}
