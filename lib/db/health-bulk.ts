import Database from "better-sqlite3";
import * as mariadb from "mariadb";
import { databaseUrlOf, type Db } from "./client.ts";
import type { RollupRow } from "./health-writes.ts";
import { mysqlConnectionConfig } from "./migrate.ts";
import { providerOf, sqliteFilePath } from "./url.ts";

/**
 * Multi-row INSERTs of health samples and roll-ups through the driver, for the demo seed and the
 * benchmarks that need hundreds of thousands to millions of rows (Prisma's createMany spent over a
 * minute on the demo's 60,000). Same stored form as Prisma: SQLite ISO text with +00:00 and 0/1
 * booleans, MySQL DATETIME(3).
 */
export type BulkSample = { checkId: string; at: Date; ok: boolean; latencyMs: number; statusCode: number | null; error: string };
export type BulkRollup = RollupRow;

type Table = { name: string; columns: string[]; values: (row: never, date: (d: Date) => unknown) => unknown[] };

const SAMPLE: Table = {
  name: "HealthSample",
  columns: ["checkId", "at", "ok", "latencyMs", "statusCode", "error"],
  values: (r: BulkSample, date) => [r.checkId, date(r.at), r.ok ? 1 : 0, r.latencyMs, r.statusCode, r.error],
};
const ROLLUP: Table = {
  name: "HealthRollup",
  columns: ["checkId", "resolution", "bucketStart", "count", "failures", "latencySum", "p50Ms", "p95Ms", "maxMs"],
  values: (r: BulkRollup, date) => [r.checkId, r.resolution, date(r.bucketStart), r.count, r.failures, r.latencySum, r.p50Ms, r.p95Ms, r.maxMs],
};

const ROWS_PER_STATEMENT = 500;
const sqlFor = (t: Table, rows: number) =>
  `INSERT INTO \`${t.name}\` (${t.columns.map((c) => `\`${c}\``).join(", ")}) VALUES ${Array.from({ length: rows }, () => `(${t.columns.map(() => "?").join(",")})`).join(",")}`;

async function insertBulk<R>(db: Db, table: Table, rows: Iterable<R>, batchSize = 20_000): Promise<number> {
  const url = databaseUrlOf(db);
  let inserted = 0;
  const batches = function* () {
    let batch: R[] = [];
    for (const r of rows) {
      batch.push(r);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  };
  if (providerOf(url) === "sqlite") {
    const conn = new Database(sqliteFilePath(url), { fileMustExist: true, timeout: 15_000 });
    try {
      const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
      const statements = new Map<number, Database.Statement>();
      const write = conn.transaction((batch: R[]) => {
        for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
          const chunk = batch.slice(i, i + ROWS_PER_STATEMENT);
          let insert = statements.get(chunk.length);
          if (!insert) statements.set(chunk.length, (insert = conn.prepare(sqlFor(table, chunk.length))));
          insert.run(...chunk.flatMap((r) => table.values(r as never, iso)));
        }
      });
      for (const batch of batches()) {
        write.immediate(batch);
        inserted += batch.length;
      }
    } finally {
      conn.close();
    }
    return inserted;
  }
  const conn = await mariadb.createConnection(mysqlConnectionConfig(url));
  try {
    for (const batch of batches()) {
      await conn.beginTransaction();
      for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
        const chunk = batch.slice(i, i + ROWS_PER_STATEMENT);
        await conn.query(sqlFor(table, chunk.length), chunk.flatMap((r) => table.values(r as never, (d) => d)));
      }
      await conn.commit();
      inserted += batch.length;
    }
  } finally {
    await conn.end();
  }
  return inserted;
}

export function insertHealthSamplesBulk(db: Db, rows: Iterable<BulkSample>): Promise<number> {
  return insertBulk(db, SAMPLE, rows);
}

export function insertHealthRollupsBulk(db: Db, rows: Iterable<BulkRollup>): Promise<number> {
  return insertBulk(db, ROLLUP, rows);
}
