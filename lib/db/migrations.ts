import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { DbProvider } from "./url.ts";

/**
 * Migration files as Prisma lays them out: one folder per migration holding migration.sql.
 * SQLite migrations sit beside the schema; MySQL ones beside the derived MySQL schema, under the
 * same folder names, so both providers share one history.
 */
export type MigrationFile = { name: string; sql: string; checksum: string };

export function migrationsDir(provider: DbProvider, root = process.cwd()): string {
  return provider === "sqlite"
    ? path.join(root, "prisma", "migrations")
    : path.join(root, "prisma", "mysql", "migrations");
}

/** Prisma's checksum: sha256 hex of the file's bytes, so a networked `prisma migrate` agrees. */
export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export function readMigrations(provider: DbProvider, root = process.cwd()): MigrationFile[] {
  const dir = migrationsDir(provider, root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    });
}

export type AppliedMigration = {
  name: string;
  checksum: string;
  finished: boolean;
  rolledBack: boolean;
};

export type MigrationState = {
  pending: string[];
  failed: string[];
  modified: string[];
  unknown: string[];
};

/** Compares what the folder holds with what the database recorded. */
export function compareMigrations(
  files: MigrationFile[],
  applied: AppliedMigration[],
): MigrationState {
  const live = applied.filter((a) => !a.rolledBack);
  const byName = new Map(live.map((a) => [a.name, a]));
  const fileNames = new Set(files.map((f) => f.name));
  return {
    pending: files.filter((f) => !byName.get(f.name)?.finished).map((f) => f.name),
    failed: live.filter((a) => !a.finished).map((a) => a.name),
    modified: files
      .filter((f) => {
        const a = byName.get(f.name);
        return a?.finished && a.checksum !== f.checksum;
      })
      .map((f) => f.name),
    unknown: live.filter((a) => !fileNames.has(a.name)).map((a) => a.name),
  };
}
