import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

export type CliResult = { status: number | null; stdout: string; stderr: string };

/**
 * Runs the project's Prisma CLI the way that works offline: config loaded (prisma.config.ts gives
 * the WASM engine its SQLite adapter), telemetry and update checks off, DATABASE_URL given.
 */
export function runPrismaCli(args: string[], env: Record<string, string> = {}, root = process.cwd()): CliResult {
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "prisma", "build", "index.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      DATABASE_URL: process.env.DATABASE_URL ?? "file:./data/ops-portal.db",
      ...env,
    },
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function cliFailure(what: string, r: CliResult): Error {
  return new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/**
 * Introspects a SQLite database into a schema file (`db pull`). Prisma 6.19 refuses `--from-url`
 * once prisma.config.ts defines an adapter, so comparing a database with the schema goes through
 * a pulled datamodel.
 */
export function pullSqliteSchema(sqliteFile: string, outFile: string, root = process.cwd()): void {
  // Only a datasource: with no models to merge into, `db pull` writes what the database holds.
  writeFileSync(outFile, 'datasource db {\n  provider = "sqlite"\n  url      = env("DATABASE_URL")\n}\n');
  const pull = runPrismaCli(["db", "pull", "--schema", outFile], { DATABASE_URL: `file:${path.resolve(sqliteFile)}` }, root);
  if (pull.status !== 0) throw cliFailure("prisma db pull", pull);
}
