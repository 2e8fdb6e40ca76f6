/**
 * The server the Playwright suite runs against: a new SQLite file (or the given database), the
 * demo data, and the production build. Refuses any database that is not local and disposable.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { createDb } from "../lib/db/client.ts";
import { migrateDatabase } from "../lib/db/migrate.ts";
import { databaseUrl, providerOf, sqliteFilePath } from "../lib/db/url.ts";
import { seedDemo } from "../lib/demo/seed.ts";

const url = databaseUrl();
if (providerOf(url) === "sqlite") {
  const file = sqliteFilePath(url);
  if (!/e2e[^/]*\.db$/.test(file)) throw new Error(`refusing to reset ${file}: e2e databases are named *e2e*.db`);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
} else if (!/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
  throw new Error("refusing to run end-to-end tests against a non-local database");
}

await migrateDatabase(url);
const db = createDb(url);
await seedDemo(db);
await db.$disconnect();

const server = spawn(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "server.ts"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", OPS_PORTAL_DEMO: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
