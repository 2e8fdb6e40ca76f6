import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import Database from "better-sqlite3";
import * as mariadb from "mariadb";
import type { ChainedFields } from "../audit/chain.ts";
import { databaseUrlOf, type Db } from "./client.ts";
import { mysqlConnectionConfig } from "./migrate.ts";
import { providerOf, sqliteFilePath } from "./url.ts";

export type ChainRow = ChainedFields & { hash: string };

const COLUMNS = "`seq`, `at`, `actorId`, `actorLabel`, `ip`, `userAgent`, `action`, `targetType`, `targetId`, `changes`, `prevHash`, `hash`";
const PAGE_SQL = `SELECT ${COLUMNS} FROM \`AuditEvent\` WHERE \`seq\` > ? AND \`seq\` <= ? ORDER BY \`seq\` LIMIT ?`;

type RawRow = [number, Date | string, string | null, string, string, string, string, string, string, string, string, string];

function toChainRow(r: RawRow): ChainRow {
  return {
    seq: Number(r[0]),
    // SQLite keeps Prisma's ISO text, MySQL a DATETIME(3): both become the Date the hash was made from.
    at: r[1] instanceof Date ? r[1] : new Date(r[1]),
    actorId: r[2],
    actorLabel: r[3],
    ip: r[4],
    userAgent: r[5],
    action: r[6],
    targetType: r[7],
    targetId: r[8],
    changes: r[9],
    prevHash: r[10],
    hash: r[11],
  };
}

/**
 * Every stored field of the events with `afterSeq < seq <= throughSeq`, in sequence order, a batch
 * at a time. Reads through the driver rather than Prisma: building Prisma's result objects cost
 * three quarters of verification time at a million events (see bench/audit-verify.ts). Rows come
 * as arrays; each page is a keyset query on the primary key. SQLite reads are synchronous, so the
 * loop yields to the event loop between batches and a running server keeps answering.
 */
export async function* scanAuditChain(
  db: Db,
  range: { afterSeq?: number; throughSeq: number; batchSize?: number },
): AsyncGenerator<ChainRow[]> {
  const url = databaseUrlOf(db);
  const batchSize = range.batchSize ?? 10_000;
  let after = range.afterSeq ?? 0;
  if (providerOf(url) === "sqlite") {
    const conn = new Database(sqliteFilePath(url), { readonly: true, fileMustExist: true, timeout: 15_000 });
    try {
      const page = conn.prepare(PAGE_SQL).raw();
      for (;;) {
        const rows = page.all(after, range.throughSeq, batchSize) as RawRow[];
        if (!rows.length) return;
        after = Number(rows[rows.length - 1]![0]);
        yield rows.map(toChainRow);
        if (rows.length < batchSize) return;
        await yieldToEventLoop();
      }
    } finally {
      conn.close();
    }
  }
  const conn = await mariadb.createConnection({ ...mysqlConnectionConfig(url), rowsAsArray: true });
  const page = (from: number) => conn.query(PAGE_SQL, [from, range.throughSeq, batchSize]) as Promise<RawRow[]>;
  let next: Promise<RawRow[]> | undefined = page(after);
  try {
    while (next) {
      const rows = await next;
      next = undefined;
      if (!rows.length) return;
      after = Number(rows[rows.length - 1]![0]);
      // The next page is requested before the caller hashes this one: network and hashing overlap.
      if (rows.length === batchSize) next = page(after);
      yield rows.map(toChainRow);
    }
  } finally {
    await next?.catch(() => undefined); // the caller stopped early: let the query in flight finish
    await conn.end();
  }
}
