/**
 * The contract between the probe engine (probe.ts, scheduler), the check editor ("Test now") and
 * the persistence of results. Everything a probe needs, copied from a HealthCheck row.
 */
export type ProbeSpec = {
  id: string;
  kind: "HTTP" | "TCP";
  url: string;
  method: string;
  expectedStatusMin: number;
  expectedStatusMax: number;
  keyword: string;
  tlsExpiryWarnDays: number;
  ignoreTlsErrors: boolean;
  host: string;
  port: number;
  timeoutMs: number;
  intervalSeconds: number;
  retries: number;
};

/** The HealthCheck columns a ProbeSpec is made of, to spread into a Prisma select. */
export const PROBE_SPEC_SELECT = {
  id: true,
  kind: true,
  url: true,
  method: true,
  expectedStatusMin: true,
  expectedStatusMax: true,
  keyword: true,
  tlsExpiryWarnDays: true,
  ignoreTlsErrors: true,
  host: true,
  port: true,
  timeoutMs: true,
  intervalSeconds: true,
  retries: true,
} as const satisfies Record<keyof ProbeSpec, true>;

/** Just the probe's fields of a row read with PROBE_SPEC_SELECT (and more), e.g. to post to the probe thread. */
export function probeSpecFromRow(r: ProbeSpec): ProbeSpec {
  return {
    id: r.id,
    kind: r.kind,
    url: r.url,
    method: r.method,
    expectedStatusMin: r.expectedStatusMin,
    expectedStatusMax: r.expectedStatusMax,
    keyword: r.keyword,
    tlsExpiryWarnDays: r.tlsExpiryWarnDays,
    ignoreTlsErrors: r.ignoreTlsErrors,
    host: r.host,
    port: r.port,
    timeoutMs: r.timeoutMs,
    intervalSeconds: r.intervalSeconds,
    retries: r.retries,
  };
}

/** What one probe found. `ok` already applies the status range and keyword. */
export type ProbeResult = {
  /** When the probe started. */
  at: Date;
  ok: boolean;
  latencyMs: number;
  statusCode: number | null;
  /**
   * Why it failed ("" when ok). One exception, because the schema has no separate warning field:
   * an HTTPS certificate expiring within tlsExpiryWarnDays (or already expired but accepted with
   * ignoreTlsErrors) leaves ok=true, so the check stays UP, and puts a sentence starting with
   * "Warning:" here. So: ok=false means `error` says why it failed; ok=true with a non-empty `error`
   * is a warning. certExpiresAt carries the date either way.
   */
  error: string;
  /** HTTPS: the peer certificate's expiry. */
  certExpiresAt: Date | null;
};
