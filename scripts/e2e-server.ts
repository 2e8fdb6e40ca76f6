/**
 * The server the Playwright suite runs against: a new SQLite file (or the given database), the
 * demo data (with fresh demo backends, see lib/demo/backends.ts), and the production build.
 * Refuses any database that is not local and disposable.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { createDb } from "../lib/db/client.ts";
import { migrateDatabase } from "../lib/db/migrate.ts";
import { databaseUrl, providerOf, sqliteFilePath } from "../lib/db/url.ts";
import { demoBackendConfig } from "../lib/demo/backends.ts";
import { seedDemo } from "../lib/demo/seed.ts";

const url = databaseUrl();
if (providerOf(url) === "sqlite") {
  const file = sqliteFilePath(url);
  if (!/e2e[^/]*\.db$/.test(file)) throw new Error(`refusing to reset ${file}: e2e databases are named *e2e*.db`);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
} else if (!/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
  throw new Error("refusing to run end-to-end tests against a non-local database");
}

// The demo backends (started by server.ts) take ports derived from PORT, i.e. E2E_PORT (+1101,
// +1102), unless DEMO_BACKEND_PORTS says otherwise, so two suites run side by side. Their state
// (versions, live colours) starts fresh with the database.
const backends = demoBackendConfig();
rmSync(backends.stateDir, { recursive: true, force: true });

await migrateDatabase(url);
const db = createDb(url);
await seedDemo(db, backends);
await db.$disconnect();

const server = spawn(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "server.ts"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", OPS_PORTAL_DEMO: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
