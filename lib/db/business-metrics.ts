import { Prisma, type Db } from "./client.ts";
import type { DbProvider } from "./url.ts";

/**
 * The SQL the ORM cannot express for business metrics (lib/metrics/business.ts): multi-row
 * upserts of series and points, and per-bucket aggregation done by the database. The dialect
 * differences between SQLite and MySQL/MariaDB stay in this file.
 */

type Tx = Prisma.TransactionClient;

/**
 * DateTimes as the column stores them: Prisma keeps SQLite DateTimes as ISO text with a +00:00
 * offset (range comparisons are text comparisons, so raw SQL must write and compare the same
 * form); MySQL DATETIME(3) takes "YYYY-MM-DD HH:MM:SS.mmm" in UTC.
 */
export function sqlDateTime(provider: DbProvider, d: Date): string {
  const iso = d.toISOString();
  return provider === "sqlite" ? iso.replace("Z", "+00:00") : iso.replace("T", " ").replace("Z", "");
}

// Points per statement (one JSON parameter) and series per statement (5 parameters a row, well
// under SQLite's 32,766 and MySQL's 65,535 placeholders).
const POINTS_PER_STATEMENT = 10_000;
const SERIES_PER_STATEMENT = 500;

function* chunks<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

export type SeriesRow = { name: string; labels: string; labelsHash: string; lastAt: Date };

/**
 * Creates the series that do not exist yet and moves every series' lastAt forward (never back):
 * one INSERT … ON CONFLICT (SQLite) / ON DUPLICATE KEY UPDATE (MySQL) per 500 series, so two
 * pushes creating the same new series at once cannot fail on the unique key.
 */
export async function upsertMetricSeries(tx: Tx, provider: DbProvider, rows: readonly SeriesRow[], now: Date): Promise<void> {
  const created = sqlDateTime(provider, now);
  for (const chunk of chunks(rows, SERIES_PER_STATEMENT)) {
    const values = Prisma.join(
      chunk.map((r) => Prisma.sql`(${r.name}, ${r.labels}, ${r.labelsHash}, ${created}, ${sqlDateTime(provider, r.lastAt)})`),
    );
    const head = Prisma.sql`INSERT INTO \`MetricSeries\` (\`name\`, \`labels\`, \`labelsHash\`, \`createdAt\`, \`lastAt\`) VALUES ${values}`;
    await tx.$executeRaw(
      provider === "sqlite"
        ? Prisma.sql`${head} ON CONFLICT (\`name\`, \`labelsHash\`) DO UPDATE SET \`lastAt\` = max(coalesce(\`lastAt\`, excluded.\`lastAt\`), excluded.\`lastAt\`)`
        : Prisma.sql`${head} ON DUPLICATE KEY UPDATE \`lastAt\` = GREATEST(COALESCE(\`lastAt\`, VALUES(\`lastAt\`)), VALUES(\`lastAt\`))`,
    );
  }
}

export type PointRow = { seriesId: number; at: Date; value: number };

/**
 * Writes points, replacing the value of a point that exists at the same (series, at). The rows
 * travel as ONE JSON parameter per 10,000 points, unpacked by the database (json_each on SQLite,
 * JSON_TABLE on MySQL 8 / MariaDB 10.6+): binding 30,000 separate parameters through Prisma cost
 * about a second per 10,000 points, this takes a tenth of that.
 */
export async function upsertMetricPoints(tx: Tx, provider: DbProvider, rows: readonly PointRow[]): Promise<void> {
  for (const chunk of chunks(rows, POINTS_PER_STATEMENT)) {
    const json = JSON.stringify(chunk.map((r) => [r.seriesId, sqlDateTime(provider, r.at), r.value]));
    await tx.$executeRaw(
      provider === "sqlite"
        ? // "WHERE true" tells SQLite's parser the ON CONFLICT belongs to the INSERT, not to a join.
          Prisma.sql`INSERT INTO \`MetricPoint\` (\`seriesId\`, \`at\`, \`value\`)
            SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(${json}) AS j WHERE true
            ON CONFLICT (\`seriesId\`, \`at\`) DO UPDATE SET \`value\` = excluded.\`value\``
        : Prisma.sql`INSERT INTO \`MetricPoint\` (\`seriesId\`, \`at\`, \`value\`)
            SELECT j.s, j.a, j.v FROM JSON_TABLE(${json}, '$[*]' COLUMNS (s INT PATH '$[0]', a DATETIME(3) PATH '$[1]', v DOUBLE PATH '$[2]')) AS j
            ON DUPLICATE KEY UPDATE \`value\` = VALUES(\`value\`)`,
    );
  }
}

export type BucketAggregation = "avg" | "sum" | "min" | "max" | "last";
export type BucketRow = { seriesId: number; bucketStart: number; value: number };

/**
 * One value per (series, bucket) for points with from <= at < to, computed by the database
 * (GROUP BY bucket; "last" takes the newest point of each bucket with ROW_NUMBER()). Buckets are
 * aligned to the epoch, as lib/charts/range.ts bucketStart() aligns them. Reads use the primary
 * key (seriesId, at).
 */
export async function bucketMetricPoints(
  db: Db,
  provider: DbProvider,
  query: { seriesIds: readonly number[]; from: Date; to: Date; bucketMs: number; agg: BucketAggregation },
): Promise<BucketRow[]> {
  if (!query.seriesIds.length) return [];
  if (!Number.isSafeInteger(query.bucketMs) || query.bucketMs <= 0) throw new Error("bucketMs must be a positive integer");
  // The width is a number this code computed, inlined so both engines divide integers.
  const bucket =
    provider === "sqlite"
      ? Prisma.raw(`(CAST(round(unixepoch(\`at\`, 'subsec') * 1000) AS INTEGER) / ${query.bucketMs})`)
      : Prisma.raw(`(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', \`at\`) DIV ${query.bucketMs * 1000})`);
  const where = Prisma.sql`\`seriesId\` IN (${Prisma.join([...query.seriesIds])}) AND \`at\` >= ${sqlDateTime(provider, query.from)} AND \`at\` < ${sqlDateTime(provider, query.to)}`;
  type Raw = { s: number | bigint; b: number | bigint; v: number | string };
  let rows: Raw[];
  if (query.agg === "last") {
    rows = await db.$queryRaw<Raw[]>(Prisma.sql`
      SELECT s, b, v FROM (
        SELECT \`seriesId\` AS s, ${bucket} AS b, \`value\` AS v,
               ROW_NUMBER() OVER (PARTITION BY \`seriesId\`, ${bucket} ORDER BY \`at\` DESC) AS rn
        FROM \`MetricPoint\` WHERE ${where}
      ) ranked WHERE rn = 1 ORDER BY s, b`);
  } else {
    const fn = Prisma.raw({ avg: "AVG", sum: "SUM", min: "MIN", max: "MAX" }[query.agg]);
    rows = await db.$queryRaw<Raw[]>(Prisma.sql`
      SELECT \`seriesId\` AS s, ${bucket} AS b, ${fn}(\`value\`) AS v
      FROM \`MetricPoint\` WHERE ${where}
      GROUP BY \`seriesId\`, b ORDER BY s, b`);
  }
  return rows.map((r) => ({ seriesId: Number(r.s), bucketStart: Number(r.b) * query.bucketMs, value: Number(r.v) }));
}
