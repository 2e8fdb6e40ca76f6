import { databaseUrlOf, type Db } from "./client.ts";
import { providerOf } from "./url.ts";

/**
 * The health area's aggregate reads that Prisma cannot express (GROUP BY a computed time bucket,
 * per-service roll-ups of check states, the newest deployment per service). Dates: SQLite keeps
 * Prisma's ISO text, MySQL/MariaDB a DATETIME(3) in UTC; both are read back through toDate().
 */

type Dialect = "sqlite" | "mysql";
const dialectOf = (db: Db): Dialect => providerOf(databaseUrlOf(db));

/** Seconds since the epoch of a DATETIME column, without the session time zone (MySQL) or a float (SQLite). */
function epochSeconds(dialect: Dialect, column: string): string {
  return dialect === "sqlite"
    ? `unixepoch(${column})` // SQLite >= 3.38; 40 % faster than CAST(strftime('%s', …) AS INTEGER)
    : `TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', ${column})`;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const d = new Date(typeof v === "string" && !/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? `${v.replace(" ", "T")}Z` : String(v));
  return Number.isNaN(d.getTime()) ? null : d;
}
const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");

/** One time bucket of roll-ups merged across checks (and across the roll-ups inside it). */
export type RollupBucketRow = {
  /** The bucket's start, epoch ms. */
  t: number;
  count: number;
  failures: number;
  latencySum: number;
  /** Successful probes: the latency figures are over these only (the roll-up job's rule). */
  okCount: number;
  /** Σ p50 × successful probes (divide by okCount for the weighted mean of the p50s). */
  p50Weighted: number;
  /** The largest p95 of the roll-ups in the bucket. */
  p95Max: number;
  maxMs: number;
};

/**
 * Roll-ups of `checkIds` at one resolution with bucketStart in [from, to), merged into buckets of
 * `bucketMs` (a multiple of the resolution) by the database: at most one row per bucket comes back.
 */
export async function rollupBuckets(
  db: Db,
  q: { checkIds: readonly string[]; resolution: "MINUTE" | "HOUR"; from: Date; to: Date; bucketMs: number },
): Promise<RollupBucketRow[]> {
  if (!q.checkIds.length) return [];
  const dialect = dialectOf(db);
  const seconds = Math.round(q.bucketMs / 1000);
  const bucket = dialect === "sqlite" ? `(${epochSeconds(dialect, "`bucketStart`")} / ${seconds})` : `(${epochSeconds(dialect, "`bucketStart`")} DIV ${seconds})`;
  const sql = `SELECT ${bucket} AS b, SUM(\`count\`) AS c, SUM(\`failures\`) AS f, SUM(\`latencySum\`) AS ls,
      SUM(\`count\` - \`failures\`) AS okc, SUM(\`p50Ms\` * (\`count\` - \`failures\`)) AS p50w, MAX(\`p95Ms\`) AS p95, MAX(\`maxMs\`) AS mx
    FROM \`HealthRollup\`
    WHERE \`checkId\` IN (${placeholders(q.checkIds.length)}) AND \`resolution\` = ? AND \`bucketStart\` >= ? AND \`bucketStart\` < ?
    GROUP BY b ORDER BY b`;
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...q.checkIds, q.resolution, q.from, q.to);
  return rows.map((r) => ({
    t: num(r.b) * seconds * 1000,
    count: num(r.c),
    failures: num(r.f),
    latencySum: num(r.ls),
    okCount: num(r.okc),
    p50Weighted: num(r.p50w),
    p95Max: num(r.p95),
    maxMs: num(r.mx),
  }));
}

/** The newest roll-up bucket of each check at a resolution (one index probe per check, one statement). */
export async function latestRollupStarts(db: Db, checkIds: readonly string[], resolution: "MINUTE" | "HOUR"): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  for (let i = 0; i < checkIds.length; i += 200) {
    const ids = checkIds.slice(i, i + 200);
    const parts = ids.map(
      (_, j) =>
        `SELECT * FROM (SELECT \`checkId\` AS id, \`bucketStart\` AS bs FROM \`HealthRollup\` WHERE \`checkId\` = ? AND \`resolution\` = ? ORDER BY \`bucketStart\` DESC LIMIT 1) AS t${j}`,
    );
    const rows = await db.$queryRawUnsafe<{ id: string; bs: unknown }[]>(parts.join(" UNION ALL "), ...ids.flatMap((id) => [id, resolution]));
    for (const r of rows) {
      const d = toDate(r.bs);
      if (d) out.set(r.id, d);
    }
  }
  return out;
}

/** Per service with checks: how many checks are in each state and the averaged summaries. */
export type ServiceCheckSummaryRow = {
  serviceId: string;
  checks: number;
  paused: number;
  up: number;
  down: number;
  pending: number;
  uptime24h: number | null;
  uptime7d: number | null;
  uptime30d: number | null;
  p95LatencyMs24h: number | null;
  lastCheckedAt: Date | null;
};

export async function serviceCheckSummaries(db: Db): Promise<ServiceCheckSummaryRow[]> {
  const active = "c.`paused` = 0";
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT c.\`serviceId\` AS serviceId, COUNT(*) AS checks,
       SUM(CASE WHEN c.\`paused\` = 1 THEN 1 ELSE 0 END) AS paused,
       SUM(CASE WHEN ${active} AND s.\`status\` = 'UP' THEN 1 ELSE 0 END) AS up,
       SUM(CASE WHEN ${active} AND s.\`status\` = 'DOWN' THEN 1 ELSE 0 END) AS down,
       SUM(CASE WHEN ${active} AND (s.\`status\` IS NULL OR s.\`status\` = 'PENDING') THEN 1 ELSE 0 END) AS pending,
       AVG(s.\`uptime24h\`) AS u24, AVG(s.\`uptime7d\`) AS u7, AVG(s.\`uptime30d\`) AS u30,
       MAX(s.\`p95LatencyMs24h\`) AS p95, MAX(s.\`lastCheckedAt\`) AS lastAt
     FROM \`HealthCheck\` c LEFT JOIN \`HealthCheckState\` s ON s.\`checkId\` = c.\`id\`
     GROUP BY c.\`serviceId\``,
  );
  return rows.map((r) => ({
    serviceId: String(r.serviceId),
    checks: num(r.checks),
    paused: num(r.paused),
    up: num(r.up),
    down: num(r.down),
    pending: num(r.pending),
    uptime24h: numOrNull(r.u24),
    uptime7d: numOrNull(r.u7),
    uptime30d: numOrNull(r.u30),
    p95LatencyMs24h: numOrNull(r.p95),
    lastCheckedAt: toDate(r.lastAt),
  }));
}

export type LastDeploymentRow = { serviceId: string; number: number; status: string; version: string; startedAt: Date; finishedAt: Date | null };

/** The newest deployment (by start) of every service that has one: a covering-index GROUP BY joined back. */
export async function lastDeployments(db: Db): Promise<Map<string, LastDeploymentRow>> {
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT d.\`serviceId\` AS serviceId, d.\`number\` AS number, d.\`status\` AS status, d.\`version\` AS version,
       d.\`startedAt\` AS startedAt, d.\`finishedAt\` AS finishedAt
     FROM (SELECT \`serviceId\` AS sid, MAX(\`startedAt\`) AS m FROM \`Deployment\` GROUP BY \`serviceId\`) x
     JOIN \`Deployment\` d ON d.\`serviceId\` = x.sid AND d.\`startedAt\` = x.m`,
  );
  const out = new Map<string, LastDeploymentRow>();
  for (const r of rows) {
    const row: LastDeploymentRow = {
      serviceId: String(r.serviceId),
      number: num(r.number),
      status: String(r.status),
      version: String(r.version),
      startedAt: toDate(r.startedAt) ?? new Date(0),
      finishedAt: toDate(r.finishedAt),
    };
    const seen = out.get(row.serviceId);
    if (!seen || seen.number < row.number) out.set(row.serviceId, row);
  }
  return out;
}
