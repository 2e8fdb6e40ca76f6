import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase } from "../db/migrate.ts";
import { createScratchMysqlDatabase } from "../db/scratch-mysql.ts";
import { providerOf, type DbProvider } from "../db/url.ts";

export type TestDatabase = { url: string; provider: DbProvider; drop(): Promise<void> };

/**
 * A fresh, migrated database for one test file: a temp SQLite file, or, when TEST_DATABASE_URL
 * names a MySQL/MariaDB server, a new database on that server (dropped afterwards).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env.TEST_DATABASE_URL;
  if (server && providerOf(server) === "mysql") {
    const scratch = await createScratchMysqlDatabase(server, "ops_test");
    await migrateDatabase(scratch.url);
    return { url: scratch.url, provider: "mysql", drop: scratch.drop };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "ops-portal-test-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await migrateDatabase(url);
  return { url, provider: "sqlite", drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
