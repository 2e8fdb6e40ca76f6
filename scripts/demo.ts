/**
 * `npm run demo`: from a fresh clone (after `npm ci`) to a running portal with demo data.
 * Builds if there is no build, migrates, seeds (idempotent), then serves on PORT (default 3000).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createDb } from "../lib/db/client.ts";
import { migrateDatabase } from "../lib/db/migrate.ts";
import { databaseUrl, redactUrl } from "../lib/db/url.ts";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS, seedDemo } from "../lib/demo/seed.ts";

if (process.env.NODE_ENV === "production") {
  console.error("npm run demo refuses to run with NODE_ENV=production: it creates users with a published password.");
  process.exit(1);
}

const url = databaseUrl();
const built = existsSync(path.join(".next", "BUILD_ID"));
if (!built || process.argv.includes("--rebuild")) {
  console.log("Building the portal (first run only)…");
  execFileSync(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}

await migrateDatabase(url, (m) => console.log(m));
const db = createDb(url);
const created = await seedDemo(db);
await db.$disconnect();
console.log(
  created.users || created.services
    ? `Demo data loaded into ${redactUrl(url)}: ${created.users} users, ${created.services} services.`
    : `Demo data already present in ${redactUrl(url)}: nothing changed.`,
);
console.log(
  `\nDemo sign-in (demo only): ${DEMO_USERS.map((u) => u.email).join(", ")}\n` +
    `  password ${DEMO_PASSWORD}, TOTP secret ${DEMO_TOTP_SECRET} (e.g. oathtool --totp -b ${DEMO_TOTP_SECRET})\n`,
);

if (process.argv.includes("--seed-only")) process.exit(0);

const server = spawn(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "server.ts"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", OPS_PORTAL_DEMO: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
