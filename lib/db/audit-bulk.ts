import Database from "better-sqlite3";
import * as mariadb from "mariadb";
import { eventHash, type ChainedFields } from "../audit/chain.ts";
import { databaseUrlOf, type Db } from "./client.ts";
import { mysqlConnectionConfig } from "./migrate.ts";
import { providerOf, sqliteFilePath } from "./url.ts";

export type BulkAuditEvent = Omit<ChainedFields, "seq" | "prevHash">;

const COLUMNS = "`seq`, `at`, `actorId`, `actorLabel`, `ip`, `userAgent`, `action`, `targetType`, `targetId`, `changes`, `prevHash`, `hash`";
const COLUMN_COUNT = 12;
// 500 rows x 12 columns per statement stays below SQLite's 32,766 and MySQL's 65,535 placeholders.
const ROWS_PER_STATEMENT = 500;
const insertSql = (rows: number) =>
  `INSERT INTO \`AuditEvent\` (${COLUMNS}) VALUES ${Array.from({ length: rows }, () => "(?,?,?,?,?,?,?,?,?,?,?,?)").join(",")}`;

type Head = { seq: number; hash: string };

/** Chains a batch after `head`: the same fields and hash recordAudit would have written. */
function chainBatch(head: Head, events: BulkAuditEvent[], at: (d: Date) => unknown): { params: unknown[]; head: Head } {
  let seq = head.seq;
  let prevHash = head.hash;
  const params: unknown[] = [];
  for (const e of events) {
    seq += 1;
    const hash = eventHash({ ...e, seq, prevHash });
    params.push(seq, at(e.at), e.actorId, e.actorLabel, e.ip, e.userAgent, e.action, e.targetType, e.targetId, e.changes, prevHash, hash);
    prevHash = hash;
  }
  return { params, head: { seq, hash: prevHash } };
}

function* statementChunks(params: unknown[]): Generator<{ rows: number; params: unknown[] }> {
  const width = COLUMN_COUNT * ROWS_PER_STATEMENT;
  for (let i = 0; i < params.length; i += width) {
    const slice = params.slice(i, i + width);
    yield { rows: slice.length / COLUMN_COUNT, params: slice };
  }
}

function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/**
 * Appends many events with multi-row INSERTs, chained exactly as recordAudit chains them, for
 * benchmarks and load tests that need millions of events. Each batch is one transaction that
 * takes the head first (the lock recordAudit takes), so it can run beside normal writers without
 * forking the chain. Goes through the driver: Prisma's per-parameter cost made a million events
 * take minutes.
 */
export async function appendAuditEventsBulk(
  db: Db,
  events: Iterable<BulkAuditEvent>,
  options: { batchSize?: number; onProgress?: (appended: number) => void } = {},
): Promise<{ appended: number; head: Head }> {
  // Rows per transaction: large batches amortise the commit and the index pages each one rewrites
  // (halved the CPU per event on SQLite versus 1,000).
  const batchSize = options.batchSize ?? 10_000;
  const url = databaseUrlOf(db);
  let appended = 0;
  let head: Head = { seq: 0, hash: "" };

  if (providerOf(url) === "sqlite") {
    const conn = new Database(sqliteFilePath(url), { fileMustExist: true, timeout: 15_000 });
    // The unique index on random hashes touches pages all over the file: a big cache keeps them in memory.
    conn.pragma("cache_size = -262144"); // 256 MiB, this connection only
    try {
      const bump = conn.prepare("UPDATE `AuditHead` SET `seq` = `seq` + ? WHERE `id` = 1 RETURNING `seq`, `hash`");
      const setHash = conn.prepare("UPDATE `AuditHead` SET `hash` = ? WHERE `id` = 1");
      const statements = new Map<number, Database.Statement>();
      // Prisma stores SQLite DateTimes as ISO text with a +00:00 offset: write the same.
      const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
      const append = conn.transaction((rows: BulkAuditEvent[]): Head => {
        const bumped = bump.get(rows.length) as Head;
        const chained = chainBatch({ seq: bumped.seq - rows.length, hash: bumped.hash }, rows, iso);
        for (const chunk of statementChunks(chained.params)) {
          let insert = statements.get(chunk.rows);
          if (!insert) statements.set(chunk.rows, (insert = conn.prepare(insertSql(chunk.rows))));
          insert.run(...chunk.params);
        }
        setHash.run(chained.head.hash);
        return chained.head;
      });
      for (const rows of batches(events, batchSize)) {
        head = append.immediate(rows);
        appended += rows.length;
        options.onProgress?.(appended);
      }
    } finally {
      conn.close();
    }
  } else {
    const conn = await mariadb.createConnection(mysqlConnectionConfig(url));
    try {
      for (const rows of batches(events, batchSize)) {
        await conn.beginTransaction();
        try {
          await conn.query("UPDATE `AuditHead` SET `seq` = `seq` + ? WHERE `id` = 1", [rows.length]);
          const [bumped] = (await conn.query("SELECT `seq`, `hash` FROM `AuditHead` WHERE `id` = 1")) as Head[];
          const chained = chainBatch({ seq: bumped!.seq - rows.length, hash: bumped!.hash }, rows, (d) => d);
          for (const chunk of statementChunks(chained.params)) await conn.query(insertSql(chunk.rows), chunk.params);
          await conn.query("UPDATE `AuditHead` SET `hash` = ? WHERE `id` = 1", [chained.head.hash]);
          await conn.commit();
          head = chained.head;
        } catch (err) {
          await conn.rollback();
          throw err;
        }
        appended += rows.length;
        options.onProgress?.(appended);
      }
    } finally {
      await conn.end();
    }
  }
  if (!appended) head = await db.auditHead.findUniqueOrThrow({ where: { id: 1 }, select: { seq: true, hash: true } });
  return { appended, head };
}
