import type { Prisma } from "./client.ts";
import type { DbProvider } from "./url.ts";

/*
 * The probe engine's bulk writes: multi-row INSERTs and upserts, one statement per few hundred rows,
 * because the engine writes ~330 samples and state rows a second at 10,000 checks and Prisma's
 * per-row cost (one upsert per state row) was the biggest CPU item. Dialects differ only in the
 * upsert clause and in how a DateTime is passed (Prisma stores SQLite DateTimes as ISO text with a
 * +00:00 offset; MySQL takes a Date).
 */

type Tx = Prisma.TransactionClient;
type Value = string | number | Date | null;

export type SampleRow = { checkId: string; at: Date; ok: boolean; latencyMs: number; statusCode: number | null; error: string };

export type StateRow = {
  checkId: string;
  status: "PENDING" | "UP" | "DOWN";
  consecutiveFailures: number;
  statusSince: Date;
  lastCheckedAt: Date;
  lastOk: boolean;
  lastLatencyMs: number;
  lastStatusCode: number | null;
  lastError: string;
  certExpiresAt: Date | null;
};

export type RollupRow = {
  checkId: string;
  resolution: "MINUTE" | "HOUR";
  bucketStart: Date;
  count: number;
  failures: number;
  latencySum: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
};

export type SummaryRow = { checkId: string; uptime24h: number | null; uptime7d: number | null; uptime30d: number | null; p95LatencyMs24h: number | null; summarizedAt: Date };

// Rows per statement: stays well below SQLite's 32,766 and MySQL's 65,535 placeholders.
const ROWS_PER_STATEMENT = 400;

const dateParam = (provider: DbProvider) => (d: Date | null): Value => (d === null ? null : provider === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d);

async function upsertRows<T>(
  tx: Tx,
  provider: DbProvider,
  table: string,
  columns: readonly string[],
  keys: readonly string[],
  updated: readonly string[],
  rows: readonly T[],
  values: (row: T, date: (d: Date | null) => Value) => Value[],
): Promise<void> {
  if (!rows.length) return;
  const date = dateParam(provider);
  const cols = columns.map((c) => `\`${c}\``).join(", ");
  const tuple = `(${columns.map(() => "?").join(",")})`;
  let tail = "";
  if (updated.length) {
    tail =
      provider === "sqlite"
        ? ` ON CONFLICT(${keys.map((k) => `\`${k}\``).join(", ")}) DO UPDATE SET ${updated.map((c) => `\`${c}\` = excluded.\`${c}\``).join(", ")}`
        : ` ON DUPLICATE KEY UPDATE ${updated.map((c) => `\`${c}\` = VALUES(\`${c}\`)`).join(", ")}`;
  }
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const params: Value[] = [];
    for (const row of chunk) params.push(...values(row, date));
    const sql = `INSERT INTO \`${table}\` (${cols}) VALUES ${chunk.map(() => tuple).join(",")}${tail}`;
    await tx.$executeRawUnsafe(sql, ...params);
  }
}

const bool = (b: boolean) => (b ? 1 : 0);

/** Inserts samples (a duplicate (checkId, at) is ignored: the same probe written twice). */
export async function insertSamples(tx: Tx, provider: DbProvider, rows: readonly SampleRow[]): Promise<void> {
  await upsertRows(tx, provider, "HealthSample", ["checkId", "at", "ok", "latencyMs", "statusCode", "error"], ["checkId", "at"], ["ok"], rows, (r, d) => [
    r.checkId,
    d(r.at),
    bool(r.ok),
    r.latencyMs,
    r.statusCode,
    r.error,
  ]);
}

const STATE_COLUMNS = ["checkId", "status", "consecutiveFailures", "statusSince", "lastCheckedAt", "lastOk", "lastLatencyMs", "lastStatusCode", "lastError", "certExpiresAt"] as const;

/** Creates or updates the probe-owned columns of HealthCheckState (the summaries are left alone). */
export async function upsertCheckStates(tx: Tx, provider: DbProvider, rows: readonly StateRow[]): Promise<void> {
  await upsertRows(tx, provider, "HealthCheckState", STATE_COLUMNS, ["checkId"], STATE_COLUMNS.slice(1), rows, (r, d) => [
    r.checkId,
    r.status,
    r.consecutiveFailures,
    d(r.statusSince),
    d(r.lastCheckedAt),
    bool(r.lastOk),
    r.lastLatencyMs,
    r.lastStatusCode,
    r.lastError,
    d(r.certExpiresAt),
  ]);
}

const ROLLUP_COLUMNS = ["checkId", "resolution", "bucketStart", "count", "failures", "latencySum", "p50Ms", "p95Ms", "maxMs"] as const;

/** Writes roll-up buckets; re-writing a bucket replaces it (idempotent). */
export async function upsertRollups(tx: Tx, provider: DbProvider, rows: readonly RollupRow[]): Promise<void> {
  await upsertRows(tx, provider, "HealthRollup", ROLLUP_COLUMNS, ["checkId", "resolution", "bucketStart"], ROLLUP_COLUMNS.slice(3), rows, (r, d) => [
    r.checkId,
    r.resolution,
    d(r.bucketStart),
    r.count,
    r.failures,
    r.latencySum,
    r.p50Ms,
    r.p95Ms,
    r.maxMs,
  ]);
}

const SUMMARY_COLUMNS = ["checkId", "uptime24h", "uptime7d", "uptime30d", "p95LatencyMs24h", "summarizedAt"] as const;

/** Writes the summaries the overview reads; a check without a state row gets one (PENDING). */
export async function upsertSummaries(tx: Tx, provider: DbProvider, rows: readonly SummaryRow[]): Promise<void> {
  await upsertRows(tx, provider, "HealthCheckState", [...SUMMARY_COLUMNS, "status", "statusSince"], ["checkId"], SUMMARY_COLUMNS.slice(1), rows, (r, d) => [
    r.checkId,
    r.uptime24h,
    r.uptime7d,
    r.uptime30d,
    r.p95LatencyMs24h,
    d(r.summarizedAt),
    "PENDING",
    d(r.summarizedAt),
  ]);
}
