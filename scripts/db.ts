/**
 * Every database command goes through here, so the Prisma CLI always runs the way that works on
 * offline machines (see docs/database.md): config loaded, telemetry off, DATABASE_URL set.
 *
 *   generate              derive the MySQL schema and generate both clients
 *   migrate               apply pending migrations to DATABASE_URL (SQLite file by default)
 *   new-migration NAME    write the SQLite migration for schema changes and a MySQL folder to fill
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase } from "../lib/db/migrate.ts";
import { deriveMysqlSchema } from "../lib/db/derive-mysql-schema.ts";
import { databaseUrl, redactUrl } from "../lib/db/url.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

const prismaEnv = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  NEXT_TELEMETRY_DISABLED: "1",
};

function prisma(args: string[], env: Record<string, string> = {}): void {
  execFileSync(process.execPath, [path.join("node_modules", "prisma", "build", "index.js"), ...args], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...prismaEnv, ...env },
  });
}

function generate(): void {
  const source = readFileSync(path.join("prisma", "schema.prisma"), "utf8");
  mkdirSync(path.join("prisma", "mysql"), { recursive: true });
  writeFileSync(path.join("prisma", "mysql", "schema.prisma"), deriveMysqlSchema(source));
  prisma(["generate", "--schema", "prisma/schema.prisma"], { DATABASE_URL: "file:./data/generate.db" });
  prisma(["generate", "--schema", "prisma/mysql/schema.prisma"], {
    DATABASE_URL: "mysql://generate@localhost/generate",
  });
}

async function migrate(): Promise<void> {
  const url = databaseUrl();
  const { applied } = await migrateDatabase(url, (m) => console.log(m));
  console.log(
    applied.length
      ? `${redactUrl(url)}: ${applied.length} migration(s) applied`
      : `${redactUrl(url)}: already up to date`,
  );
}

async function newMigration(name: string | undefined): Promise<void> {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error("usage: npm run db:new-migration -- <snake_case_name>");
  }
  // Diff the schema against a scratch database built from the existing migrations: no shadow
  // database, and the result is exactly what the runner will have to apply.
  const scratch = mkdtempSync(path.join(os.tmpdir(), "ops-portal-diff-"));
  const url = `file:${path.join(scratch, "scratch.db")}`;
  try {
    await migrateDatabase(url);
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const folder = `${stamp}_${name}`;
    const sqliteDir = path.join("prisma", "migrations", folder);
    mkdirSync(sqliteDir, { recursive: true });
    prisma(
      [
        "migrate", "diff", "--from-config-datasource", "--to-schema-datamodel", "prisma/schema.prisma",
        "--script", "--output", path.join(sqliteDir, "migration.sql"),
      ],
      { DATABASE_URL: url },
    );
    const mysqlDir = path.join("prisma", "mysql", "migrations", folder);
    mkdirSync(mysqlDir, { recursive: true });
    console.log(
      `Wrote ${sqliteDir}/migration.sql.\nNow write ${mysqlDir}/migration.sql by hand (MySQL DDL, ` +
        `Prisma's naming); the schema drift test fails until the two agree.`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const [command, arg] = process.argv.slice(2);
try {
  if (command === "generate") generate();
  else if (command === "migrate") await migrate();
  else if (command === "new-migration") await newMigration(arg);
  else throw new Error(`unknown command "${command ?? ""}": generate | migrate | new-migration NAME`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
