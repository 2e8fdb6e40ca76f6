/**
 * Audit trail at scale: bulk-loads N events (default 1,000,000) with a valid hash chain into a
 * temporary SQLite file, and into a scratch MariaDB/MySQL database when BENCH_DATABASE_URL names a
 * local server, then measures verifyAuditChain in events per second.
 *
 *   npm run bench:audit-verify [-- count]
 *   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/test npm run bench:audit-verify
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { verifyAuditChain } from "../lib/audit/verify.ts";
import { appendAuditEventsBulk } from "../lib/db/audit-bulk.ts";
import { createDb, type Db } from "../lib/db/client.ts";
import { migrateDatabase } from "../lib/db/migrate.ts";
import { createScratchMysqlDatabase } from "../lib/db/scratch-mysql.ts";
import { syntheticAuditEvents } from "./audit-events.ts";

const count = Number(process.argv[2] ?? 1_000_000);
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString("en-US")}/s`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function progress(label: string): (n: number) => void {
  let last = 0;
  return (n) => {
    if (n - last >= 100_000 || n === count) {
      last = n;
      process.stderr.write(`\r  ${label} ${n.toLocaleString("en-US")} / ${count.toLocaleString("en-US")}`);
    }
  };
}

async function run(name: string, db: Db): Promise<void> {
  console.log(`\n${name}: ${count.toLocaleString("en-US")} events`);
  let t0 = performance.now();
  await appendAuditEventsBulk(db, syntheticAuditEvents(count), { onProgress: progress("loading") });
  const loadMs = performance.now() - t0;
  process.stderr.write("\n");
  console.log(`  bulk load: ${secs(loadMs)} (${rate(count, loadMs)})`);

  t0 = performance.now();
  const result = await verifyAuditChain(db, { onProgress: progress("verifying") });
  const verifyMs = performance.now() - t0;
  process.stderr.write("\n");
  if (!result.intact) throw new Error(`chain reported broken at ${result.brokenAt}: ${result.reason}`);
  console.log(`  verify: ${result.events.toLocaleString("en-US")} events intact in ${secs(verifyMs)} (${rate(result.events, verifyMs)})`);
}

console.log(`audit verify benchmark, ${os.cpus().length} cores, Node ${process.version}`);
const dir = mkdtempSync(path.join(os.tmpdir(), "ops-bench-audit-"));
try {
  const url = `file:${path.join(dir, "bench.db")}`;
  await migrateDatabase(url);
  const db = createDb(url);
  await run("SQLite", db);
  await db.$disconnect();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const server = process.env.BENCH_DATABASE_URL;
if (server) {
  const scratch = await createScratchMysqlDatabase(server, "ops_bench");
  try {
    await migrateDatabase(scratch.url);
    const db = createDb(scratch.url);
    await run("MariaDB/MySQL", db);
    await db.$disconnect();
  } finally {
    await scratch.drop();
  }
}
