import { bucketMsFor, MAX_POINTS, type TimeRange } from "../charts/range.ts";
import { AppError, type ErrorCode } from "../errors.ts";
import type { Datasource } from "./datasource.ts";

/*
 * The Prometheus HTTP API client: query_range and build info. Every call has a timeout (the data
 * source's) and an AbortSignal; errors become messages a person can act on, with Prometheus' own
 * text for a bad query. Results come back as chart points (one key per series), never more than
 * MAX_POINTS per series (the step is chosen from the range) and never more than MAX_SERIES series.
 */

/** Series beyond this many are left out of a panel (and the panel says so). */
export const MAX_SERIES = 20;

export type PrometheusErrorKind = "bad_query" | "unreachable" | "auth" | "failed";

/** An AppError with the kind of failure, so a route can answer 400 for a bad query and 502 otherwise. */
export class PrometheusError extends AppError {
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
  ) {
    const code: ErrorCode = kind === "bad_query" ? "invalid_input" : "conflict";
    super(code, message);
    this.name = "PrometheusError";
  }
  get httpStatus(): number {
    return this.kind === "bad_query" ? 400 : 502;
  }
}

/** One chart point: `t` epoch ms, then one value per series key (null: no sample at that step). */
export type SeriesPoint = { t: number } & Record<string, number | null>;
export type SeriesInfo = { key: string; label: string; labels: Record<string, string> };

export type QueryResult = {
  series: SeriesInfo[];
  points: SeriesPoint[];
  stepMs: number;
  from: number;
  to: number;
  /** Set when series were left out (more than MAX_SERIES). */
  truncated: { shown: number; total: number } | null;
};

type ApiBody<T> = { status: "success"; data: T; warnings?: string[] } | { status: "error"; errorType?: string; error?: string };
type MatrixData = { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] };

function authHeaders(ds: Datasource): Record<string, string> {
  if (ds.auth.kind === "basic") return { authorization: `Basic ${Buffer.from(`${ds.auth.username}:${ds.auth.password}`).toString("base64")}` };
  if (ds.auth.kind === "bearer") return { authorization: `Bearer ${ds.auth.token}` };
  return {};
}

function describeNetworkError(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = cause && typeof cause === "object" && "code" in cause ? String((cause as { code: unknown }).code) : "";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host name not found";
  if (code === "ECONNRESET") return "connection reset";
  if (code.startsWith("ERR_TLS") || code.includes("CERT")) return `TLS error (${code})`;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * One GET (or form POST) against the Prometheus API. `signal` lets the caller give up earlier
 * (the browser went away); the data source's timeout always applies.
 */
async function call<T>(ds: Datasource, path: string, params: URLSearchParams | null, signal?: AbortSignal): Promise<{ data: T; warnings: string[] }> {
  const url = `${ds.url}${path}`;
  const timeout = AbortSignal.timeout(ds.timeoutMs);
  const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, {
      method: params ? "POST" : "GET",
      headers: { accept: "application/json", ...authHeaders(ds), ...(params ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body: params ? params.toString() : undefined,
      signal: combined,
      redirect: "error",
      cache: "no-store",
    });
  } catch (err) {
    if (timeout.aborted) throw new PrometheusError("unreachable", `Prometheus at ${ds.url} did not answer within ${(ds.timeoutMs / 1000).toLocaleString("en-GB")} s.`);
    if (signal?.aborted) throw new PrometheusError("failed", "The query was cancelled.");
    throw new PrometheusError("unreachable", `Prometheus at ${ds.url} did not answer: ${describeNetworkError(err)}.`);
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new PrometheusError("auth", `Prometheus at ${ds.url} refused the portal's credentials (HTTP ${response.status}). Check the data source's sign-in settings.`);
  }
  let body: ApiBody<T>;
  try {
    body = (await response.json()) as ApiBody<T>;
  } catch {
    throw new PrometheusError(
      "failed",
      response.ok
        ? `The answer from ${ds.url} is not Prometheus' JSON: is the URL the Prometheus server (e.g. http://host:9090)?`
        : `Prometheus at ${ds.url} answered HTTP ${response.status} ${response.statusText}.`.replace(/ \.$/, "."),
    );
  }
  if (body.status === "success" && response.ok) return { data: body.data, warnings: body.warnings ?? [] };
  const text = body.status === "error" ? (body.error ?? "no reason given") : `HTTP ${response.status}`;
  const type = body.status === "error" ? body.errorType : undefined;
  if (response.status === 400 || type === "bad_data") throw new PrometheusError("bad_query", `Prometheus did not accept the query: ${text}`);
  if (response.status === 422 || type === "execution") throw new PrometheusError("bad_query", `Prometheus could not run the query: ${text}`);
  if (type === "timeout" || response.status === 503) throw new PrometheusError("failed", `Prometheus gave up on the query: ${text}. Try a shorter range or a simpler query.`);
  throw new PrometheusError("failed", `Prometheus at ${ds.url} answered HTTP ${response.status}: ${text}`);
}

/** GET /api/v1/status/buildinfo: the version, which is what "Test connection" shows. */
export async function fetchBuildInfo(ds: Datasource, signal?: AbortSignal): Promise<{ version: string }> {
  const { data } = await call<{ version?: string }>(ds, "/api/v1/status/buildinfo", null, signal);
  if (!data || typeof data.version !== "string") throw new PrometheusError("failed", `The answer from ${ds.url} has no Prometheus version: is this a Prometheus server?`);
  return { version: data.version };
}

/**
 * The step for a range: the same rule as every other chart (lib/charts/range.ts), never finer than
 * the scrape interval. The grid ends at the range's end (so the newest samples always show, even
 * with hour-wide steps) and goes back whole steps, so at most MAX_POINTS points come back
 * (Prometheus includes both ends).
 */
export function stepFor(range: Pick<TimeRange, "from" | "to">, scrapeIntervalS: number): { stepMs: number; startMs: number; endMs: number } {
  const stepMs = bucketMsFor(range, Math.max(1, scrapeIntervalS) * 1000, MAX_POINTS - 1);
  const endMs = Math.floor(range.to.getTime() / 1000) * 1000;
  const steps = Math.max(0, Math.floor((endMs - range.from.getTime()) / stepMs));
  return { stepMs, startMs: endMs - steps * stepMs, endMs };
}

/**
 * The window for rate()/increase() at a step, like Grafana's $__rate_interval: at least four scrape
 * intervals (so a window always holds two or more samples, even with a missed scrape), and at least
 * the step plus one scrape interval (so consecutive points overlap and no sample is skipped).
 */
export function rateWindowSeconds(stepMs: number, scrapeIntervalS: number): number {
  return Math.max(Math.ceil(stepMs / 1000) + scrapeIntervalS, 4 * scrapeIntervalS);
}

/** `$__rate_interval` and `$__interval` in a query, replaced with durations Prometheus accepts. */
export function expandVariables(query: string, stepMs: number, scrapeIntervalS: number): string {
  return query
    .replaceAll("$__rate_interval", `${rateWindowSeconds(stepMs, scrapeIntervalS)}s`)
    .replaceAll("$__interval", `${Math.max(1, Math.round(stepMs / 1000))}s`);
}

/** `{instance="db1:9100", mode="user"}` without __name__; "" when there are no labels. */
function labelSummary(metric: Record<string, string>): string {
  const parts = Object.entries(metric)
    .filter(([k]) => k !== "__name__")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`);
  const name = metric.__name__ ?? "";
  return parts.length ? `${name}{${parts.join(", ")}}` : name;
}

/**
 * Legends that tell series apart: the labels whose values differ between the panel's series
 * (`instance="db1:9100"`), after the query's own legend; for a lone series without a legend, its
 * labels but the job.
 */
function nameSeries(series: SeriesInfo[]): SeriesInfo[] {
  const keys = new Set(series.flatMap((s) => Object.keys(s.labels)));
  const varying = [...keys].filter((k) => k !== "__name__" && new Set(series.map((s) => s.labels[k] ?? "")).size > 1).sort();
  return series.map((s) => {
    const parts = varying.filter((k) => s.labels[k] !== undefined).map((k) => `${k}="${s.labels[k]}"`);
    const distinct = parts.length ? parts.join(", ") : "";
    // One series: its labels without the job, which the selector usually names already.
    const { job: _job, ...rest } = s.labels;
    const label = [s.label, distinct].filter(Boolean).join(" ") || labelSummary(rest) || "value";
    return { ...s, label };
  });
}

function toNumber(v: string): number | null {
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export type RangeQuery = {
  query: string;
  /** Prefix for the series' labels, when a panel draws several queries ("receive", "transmit"). */
  legend?: string;
};

/**
 * Runs one or more PromQL queries over a range and merges them into one set of chart points on
 * the step grid (missing samples are null, so gaps show as gaps). At most MAX_SERIES series in all.
 */
export async function queryRange(
  ds: Datasource,
  queries: readonly RangeQuery[],
  range: Pick<TimeRange, "from" | "to">,
  signal?: AbortSignal,
): Promise<QueryResult> {
  const { stepMs, startMs, endMs } = stepFor(range, ds.scrapeIntervalS);
  const answers = await Promise.all(
    queries.map(async (q) => {
      const params = new URLSearchParams({
        query: expandVariables(q.query, stepMs, ds.scrapeIntervalS),
        start: String(startMs / 1000),
        end: String(endMs / 1000),
        step: `${stepMs / 1000}`,
      });
      const { data } = await call<MatrixData>(ds, "/api/v1/query_range", params, signal);
      if (data.resultType !== "matrix") throw new PrometheusError("bad_query", `Prometheus returned a ${data.resultType}, not a range of values: use a query that gives a time series.`);
      return { legend: q.legend, result: data.result };
    }),
  );

  const total = answers.reduce((n, a) => n + a.result.length, 0);
  const grid = new Map<number, SeriesPoint>();
  for (let t = startMs; t <= endMs; t += stepMs) grid.set(t, { t } as SeriesPoint);
  const series: SeriesInfo[] = [];
  outer: for (const answer of answers) {
    for (const r of answer.result) {
      if (series.length >= MAX_SERIES) break outer;
      const key = `s${series.length}`;
      series.push({ key, label: answer.legend ?? "", labels: r.metric });
      for (const point of grid.values()) point[key] = null;
      for (const [ts, raw] of r.values) {
        const t = Math.round(ts * 1000);
        const point = grid.get(t);
        if (point) point[key] = toNumber(raw);
      }
    }
  }
  return {
    series: nameSeries(series),
    points: [...grid.values()],
    stepMs,
    from: range.from.getTime(),
    to: range.to.getTime(),
    truncated: total > MAX_SERIES ? { shown: MAX_SERIES, total } : null,
  };
}
