/**
 * Every database command goes through here, so the Prisma CLI always runs the way that works on
 * offline machines (see docs/database.md): config loaded, telemetry off, DATABASE_URL set.
 *
 *   generate              derive the MySQL schema and generate both clients
 *   migrate               apply pending migrations to DATABASE_URL (SQLite file by default)
 *   new-migration NAME    write the SQLite migration for schema changes and a MySQL folder to fill
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase } from "../lib/db/migrate.ts";
import { deriveMysqlSchema } from "../lib/db/derive-mysql-schema.ts";
import { cliFailure, pullSqliteSchema, runPrismaCli } from "../lib/db/prisma-cli.ts";
import { databaseUrl, redactUrl } from "../lib/db/url.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

function generate(): void {
  const source = readFileSync(path.join("prisma", "schema.prisma"), "utf8");
  mkdirSync(path.join("prisma", "mysql"), { recursive: true });
  writeFileSync(path.join("prisma", "mysql", "schema.prisma"), deriveMysqlSchema(source));
  for (const schema of ["prisma/schema.prisma", "prisma/mysql/schema.prisma"]) {
    const r = runPrismaCli(["generate", "--schema", schema], {
      DATABASE_URL: schema.includes("mysql") ? "mysql://generate@localhost/generate" : "file:./data/generate.db",
    });
    if (r.status !== 0) throw cliFailure(`prisma generate (${schema})`, r);
    console.log(r.stdout.split("\n").filter((l) => l.includes("Generated")).join("\n"));
  }
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
    const pulled = path.join(scratch, "current.prisma");
    pullSqliteSchema(path.join(scratch, "scratch.db"), pulled);
    const diff = runPrismaCli(
      [
        "migrate", "diff", "--from-schema-datamodel", pulled, "--to-schema-datamodel", "prisma/schema.prisma",
        "--script", "--output", path.join(sqliteDir, "migration.sql"),
      ],
      { DATABASE_URL: `file:${path.join(scratch, "engine.db")}` },
    );
    if (diff.status !== 0) throw cliFailure("prisma migrate diff", diff);
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
