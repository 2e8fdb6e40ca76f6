import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import * as mariadb from "mariadb";
import {
  compareMigrations,
  readMigrations,
  type AppliedMigration,
  type MigrationFile,
  type MigrationState,
} from "./migrations.ts";
import { providerOf, sqliteFilePath, type DbProvider } from "./url.ts";

/**
 * The project's own migration runner. Prisma's CLI cannot reach MySQL on these machines (its WASM
 * schema engine has no MySQL connector), so one runner serves both providers and records every
 * migration in Prisma's own `_prisma_migrations` table, with Prisma's columns and checksum, so a
 * networked `prisma migrate deploy` sees exactly the state this runner left.
 */

type Log = (message: string) => void;

export type MigrateResult = { provider: DbProvider; applied: string[] };

export class MigrationError extends Error {}

// Prisma's own DDL for its bookkeeping table, per provider.
const SQLITE_BOOKKEEPING = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const MYSQL_BOOKKEEPING = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             DATETIME(3),
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          DATETIME(3),
    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

function assertHealthy(state: MigrationState): void {
  if (state.failed.length) {
    throw new MigrationError(
      `Migration ${state.failed.join(", ")} started but did not finish. Fix the database by hand, ` +
        `then mark it rolled back (UPDATE _prisma_migrations SET rolled_back_at = now) and run again.`,
    );
  }
  if (state.modified.length) {
    throw new MigrationError(
      `Migration ${state.modified.join(", ")} was edited after it was applied. ` +
        `Never edit an applied migration: add a new one instead.`,
    );
  }
}

function sqliteNow(): string {
  // The form Prisma's schema engine writes into _prisma_migrations on SQLite.
  return new Date().toISOString().replace("Z", "+00:00");
}

/**
 * Switching a fresh file to WAL needs an exclusive lock and SQLite answers SQLITE_BUSY at once,
 * without its busy timeout, when another process (a second server starting) holds the file: retry.
 */
async function enableWal(db: Database.Database): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (err) {
      const busy = typeof err === "object" && err !== null && "code" in err && err.code === "SQLITE_BUSY";
      if (!busy || attempt >= 150) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function migrateSqlite(url: string, files: MigrationFile[], log: Log): Promise<string[]> {
  const file = sqliteFilePath(url);
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: 15_000 });
  try {
    await enableWal(db);
    db.pragma("foreign_keys = ON");
    db.exec(SQLITE_BOOKKEEPING);
    const applied: string[] = [];
    // BEGIN IMMEDIATE takes the write lock up front, so two servers starting together migrate once.
    // SQLite DDL is transactional: a migration and its record commit or roll back together.
    const run = db.transaction(() => {
      const state = compareMigrations(files, readSqliteApplied(db));
      assertHealthy(state);
      for (const m of files.filter((f) => state.pending.includes(f.name))) {
        const started = sqliteNow();
        db.exec(m.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
        ).run(randomUUID(), m.checksum, sqliteNow(), m.name, started);
        applied.push(m.name);
        log(`applied migration ${m.name}`);
      }
    });
    run.immediate();
    return applied;
  } finally {
    db.close();
  }
}

function readSqliteApplied(db: Database.Database): AppliedMigration[] {
  const rows = db
    .prepare(
      `SELECT migration_name AS name, checksum, finished_at AS finished, rolled_back_at AS rolledBack FROM "_prisma_migrations" ORDER BY started_at`,
    )
    .all() as { name: string; checksum: string; finished: unknown; rolledBack: unknown }[];
  return rows.map((r) => ({
    name: r.name,
    checksum: r.checksum,
    finished: r.finished != null,
    rolledBack: r.rolledBack != null,
  }));
}

const MYSQL_LOCK = "ops_portal_migrate";

async function migrateMysql(url: string, files: MigrationFile[], log: Log): Promise<string[]> {
  const conn = await mariadb.createConnection({
    ...mysqlConnectionConfig(url),
    multipleStatements: true,
  });
  try {
    // MySQL DDL is not transactional: a named lock keeps two starting servers from racing, and a
    // migration that dies half-way stays recorded as unfinished, as Prisma records it.
    const [lock] = await conn.query("SELECT GET_LOCK(?, 120) AS got", [MYSQL_LOCK]);
    if (Number(lock.got) !== 1) throw new MigrationError("Timed out waiting for the migration lock");
    await conn.query(MYSQL_BOOKKEEPING);
    const rows: { name: string; checksum: string; finished: unknown; rolledBack: unknown }[] =
      await conn.query(
        "SELECT migration_name AS name, checksum, finished_at AS finished, rolled_back_at AS rolledBack FROM _prisma_migrations ORDER BY started_at",
      );
    const state = compareMigrations(
      files,
      rows.map((r) => ({
        name: r.name,
        checksum: r.checksum,
        finished: r.finished != null,
        rolledBack: r.rolledBack != null,
      })),
    );
    assertHealthy(state);
    const applied: string[] = [];
    for (const m of files.filter((f) => state.pending.includes(f.name))) {
      const id = randomUUID();
      await conn.query(
        "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, CURRENT_TIMESTAMP(3), 0)",
        [id, m.checksum, m.name],
      );
      try {
        await conn.query(m.sql);
      } catch (err) {
        await conn.query("UPDATE _prisma_migrations SET logs = ? WHERE id = ?", [String(err), id]);
        throw new MigrationError(`Migration ${m.name} failed: ${(err as Error).message}`);
      }
      await conn.query(
        "UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP(3), applied_steps_count = 1 WHERE id = ?",
        [id],
      );
      applied.push(m.name);
      log(`applied migration ${m.name}`);
    }
    return applied;
  } finally {
    await conn.query("SELECT RELEASE_LOCK(?)", [MYSQL_LOCK]).catch(() => undefined);
    await conn.end();
  }
}

/** mariadb driver options from a mysql:// URL (the driver's own URL parser wants mariadb://). */
export function mysqlConnectionConfig(url: string): mariadb.ConnectionConfig {
  const u = new URL(url.replace(/^mysql:/i, "mariadb:"));
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, ""),
    // DATETIME values are written and read as UTC, matching Prisma.
    timezone: "Z",
  };
}

export async function migrateDatabase(url: string, log: Log = () => undefined): Promise<MigrateResult> {
  const provider = providerOf(url);
  const files = readMigrations(provider);
  if (!files.length) throw new MigrationError(`No migrations found for ${provider}`);
  const applied =
    provider === "sqlite"
      ? await migrateSqlite(url, files, log)
      : await migrateMysql(url, files, log);
  return { provider, applied };
}
