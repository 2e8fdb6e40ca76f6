import http from "node:http";
import https from "node:https";
import type { StepLogger } from "./types.ts";

/*
 * HTTP probes for health checks and monitoring validation. Every probe opens a fresh connection
 * (no keep-alive agent), so a colour that stopped accepting connections cannot hide behind a
 * pooled socket, and latency includes the connect as a real client's would. Latency is measured
 * with performance.now() from sending the request to the end of the response body.
 */

export type ProbeResult = { ok: boolean; status: number; latencyMs: number; error: string | null };

export type ProbeOptions = { timeoutMs: number; signal?: AbortSignal };

const round = (ms: number) => Math.round(ms * 10) / 10;

/** One GET; ok when it answers 2xx within the timeout. Never throws. */
export function httpProbe(url: string, options: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const took = () => round(performance.now() - started);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, status: 0, latencyMs: 0, error: `not a valid URL: ${url}` });
  }
  if (options.signal?.aborted) return Promise.resolve({ ok: false, status: 0, latencyMs: 0, error: "stopped" });
  const client = parsed.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve(result);
    };
    const req = client.request(parsed, { method: "GET", agent: false, headers: { Connection: "close", "User-Agent": "ops-portal-probe" } }, (res) => {
      const status = res.statusCode ?? 0;
      res.resume(); // drain: the latency includes the body
      res.on("end", () => {
        const ok = status >= 200 && status < 300;
        finish({ ok, status, latencyMs: took(), error: ok ? null : `HTTP ${status}` });
      });
      res.on("error", (err) => finish({ ok: false, status, latencyMs: took(), error: err.message }));
    });
    const timer = setTimeout(() => {
      finish({ ok: false, status: 0, latencyMs: took(), error: `no answer within ${options.timeoutMs} ms` });
      req.destroy();
    }, options.timeoutMs);
    const onAbort = () => {
      finish({ ok: false, status: 0, latencyMs: took(), error: "stopped" });
      req.destroy();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, status: 0, latencyMs: took(), error: err.code ?? err.message }));
    req.end();
  });
}

/** Joins a colour's base URL and a path, with exactly one slash between them. */
export const joinUrl = (base: string, path: string) => `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;

/** Waits `ms`; rejects with the signal's reason as soon as it aborts (drivers stop at once). */
export function sleepOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Waits `ms`, or less when the signal aborts (resolves either way). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export type HealthCheckOptions = {
  /** Consecutive successes needed. */
  successes: number;
  intervalMs: number;
  /** The whole check must pass within this long. */
  timeoutMs: number;
  signal?: AbortSignal;
  log?: StepLogger;
};

export type HealthCheckResult = {
  ok: boolean;
  attempts: number;
  /** Consecutive successes at the end. */
  consecutive: number;
  required: number;
  elapsedMs: number;
  latenciesMs: number[];
  lastError: string | null;
  stopped: boolean;
};

/**
 * Probes `url` every intervalMs until `successes` consecutive probes passed (ok) or the timeout
 * ran out (not ok). A failed probe starts the count again.
 */
export async function healthCheck(url: string, options: HealthCheckOptions): Promise<HealthCheckResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const deadline = options.timeoutMs;
  const latencies: number[] = [];
  let attempts = 0;
  let consecutive = 0;
  let lastError: string | null = null;
  while (consecutive < options.successes && elapsed() < deadline && !options.signal?.aborted) {
    const remaining = deadline - elapsed();
    const result = await httpProbe(url, { timeoutMs: Math.max(50, Math.min(remaining, Math.max(options.intervalMs * 4, 2_000))), signal: options.signal });
    if (options.signal?.aborted) break;
    attempts++;
    latencies.push(result.latencyMs);
    if (result.ok) {
      consecutive++;
      options.log?.(`health check ${attempts}: ${result.status} in ${result.latencyMs} ms (${consecutive}/${options.successes})`);
    } else {
      consecutive = 0;
      lastError = result.error;
      options.log?.(`health check ${attempts}: failed (${result.error}) after ${result.latencyMs} ms; count starts again`, "warn");
    }
    if (consecutive >= options.successes) break;
    const wait = Math.min(options.intervalMs, deadline - elapsed());
    if (wait > 0) await sleep(wait, options.signal);
  }
  return {
    ok: consecutive >= options.successes,
    attempts,
    consecutive,
    required: options.successes,
    elapsedMs: Math.round(elapsed()),
    latenciesMs: latencies,
    lastError,
    stopped: Boolean(options.signal?.aborted),
  };
}

export type ValidateOptions = {
  windowMs: number;
  intervalMs: number;
  maxErrorRatePct: number;
  maxP95LatencyMs: number;
  signal?: AbortSignal;
  log?: StepLogger;
};

export type ValidationResult = {
  ok: boolean;
  samples: number;
  errors: number;
  errorRatePct: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  maxErrorRatePct: number;
  maxP95LatencyMs: number;
  windowMs: number;
  elapsedMs: number;
  /** Why it failed, one sentence each (empty when ok). */
  reasons: string[];
  stopped: boolean;
};

/** The value below which `p` percent of the sorted samples fall (nearest rank); 0 for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

/**
 * Monitoring validation: samples `url` every intervalMs over windowMs and compares the error rate
 * and the p95 latency with the thresholds. A probe that does not answer within twice the latency
 * threshold (at least a second) counts as an error.
 */
export async function validate(url: string, options: ValidateOptions): Promise<ValidationResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const probeTimeout = Math.max(1_000, options.maxP95LatencyMs * 2);
  const latencies: number[] = [];
  let samples = 0;
  let errors = 0;
  let lastLogged = 0;
  while (elapsed() < options.windowMs && !options.signal?.aborted) {
    const tick = performance.now();
    const result = await httpProbe(url, { timeoutMs: probeTimeout, signal: options.signal });
    if (options.signal?.aborted) break;
    samples++;
    latencies.push(result.latencyMs);
    if (!result.ok) {
      errors++;
      options.log?.(`validation sample ${samples}: failed (${result.error}) after ${result.latencyMs} ms`, "warn");
    }
    // A progress line about once a second, not one per sample.
    if (options.log && performance.now() - lastLogged >= 1_000) {
      lastLogged = performance.now();
      options.log(`validation: ${samples} samples, ${errors} errors so far`);
    }
    const wait = options.intervalMs - (performance.now() - tick);
    const left = options.windowMs - elapsed();
    if (wait > 0 && left > 0) await sleep(Math.min(wait, left), options.signal);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const errorRatePct = samples ? round((errors / samples) * 100) : 100;
  const p50Ms = percentile(sorted, 50);
  const p95Ms = percentile(sorted, 95);
  const reasons: string[] = [];
  if (!samples) reasons.push("No samples were taken.");
  if (samples && errorRatePct > options.maxErrorRatePct) reasons.push(`Error rate ${errorRatePct}% is over the ${options.maxErrorRatePct}% threshold.`);
  if (samples && p95Ms > options.maxP95LatencyMs) reasons.push(`p95 latency ${p95Ms} ms is over the ${options.maxP95LatencyMs} ms threshold.`);
  const stopped = Boolean(options.signal?.aborted);
  return {
    ok: !stopped && reasons.length === 0,
    samples,
    errors,
    errorRatePct,
    p50Ms,
    p95Ms,
    maxMs: sorted[sorted.length - 1] ?? 0,
    maxErrorRatePct: options.maxErrorRatePct,
    maxP95LatencyMs: options.maxP95LatencyMs,
    windowMs: options.windowMs,
    elapsedMs: Math.round(elapsed()),
    reasons,
    stopped,
  };
}
