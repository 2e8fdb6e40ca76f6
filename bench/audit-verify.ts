/**
 * Audit trail at scale: bulk-loads N events (default 1,000,000) with a valid hash chain into a
 * temporary SQLite file, and into a scratch MariaDB/MySQL database when BENCH_DATABASE_URL names a
 * local server, then measures verifyAuditChain in events per second and the audit viewer's page
 * queries (median of 5) for each kind of filter, on the first page and deep in the trail.
 *
 *   npm run bench:audit-verify [-- count] [--baseline]
 *   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/test npm run bench:audit-verify
 *
 * --baseline also times the first implementation (Prisma findMany pages of 5,000 and createHash)
 * on the same data, so before/after are measured under the same conditions. CPU seconds are printed
 * next to wall time: on a shared machine they show what the walk itself costs.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TAuditFilter } from "../lib/audit/filters.ts";
import { auditPage, type AuditCursor } from "../lib/audit/queries.ts";
import { verifyAuditChain } from "../lib/audit/verify.ts";
import { GENESIS_HASH } from "../lib/audit/chain.ts";
import { appendAuditEventsBulk } from "../lib/db/audit-bulk.ts";
import { createDb, type Db } from "../lib/db/client.ts";
import { migrateDatabase } from "../lib/db/migrate.ts";
import { createScratchMysqlDatabase } from "../lib/db/scratch-mysql.ts";
import { syntheticAuditEvents } from "./audit-events.ts";

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const baseline = args.includes("--baseline");
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
  const t0 = performance.now();
  await appendAuditEventsBulk(db, syntheticAuditEvents(count), { onProgress: progress("loading") });
  const loadMs = performance.now() - t0;
  process.stderr.write("\n");
  console.log(`  bulk load: ${secs(loadMs)} (${rate(count, loadMs)})`);

  if (baseline) {
    const { ms, cpu, events } = await timed(() => prismaWalk(db));
    console.log(`  baseline walk (Prisma pages, createHash): ${events.toLocaleString("en-US")} events in ${secs(ms)} (${rate(events, ms)}), cpu ${secs(cpu)}`);
  }
  const { ms: verifyMs, cpu, events: result } = await timed(() => verifyAuditChain(db, { onProgress: progress("verifying") }));
  process.stderr.write("\n");
  if (!result.intact) throw new Error(`chain reported broken at ${result.brokenAt}: ${result.reason}`);
  console.log(`  verifyAuditChain: ${result.events.toLocaleString("en-US")} events intact in ${secs(verifyMs)} (${rate(result.events, verifyMs)}), cpu ${secs(cpu)}`);
  await viewerQueries(db);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpu: number; events: T }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const events = await fn();
  const used = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, cpu: (used.user + used.system) / 1000, events };
}

/** The first implementation of verifyAuditChain, kept only as the benchmark's baseline. */
async function prismaWalk(db: Db): Promise<number> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const batch = await db.auditEvent.findMany({ where: { seq: { gte: expectedSeq } }, orderBy: { seq: "asc" }, take: 5_000 });
    for (const e of batch) {
      const { hash: _stored, ...fields } = e;
      const canonical = JSON.stringify([fields.seq, fields.at.toISOString(), fields.actorId, fields.actorLabel, fields.ip, fields.userAgent, fields.action, fields.targetType, fields.targetId, fields.changes, fields.prevHash]);
      if (e.seq !== expectedSeq || e.prevHash !== prevHash || createHash("sha256").update(canonical, "utf8").digest("hex") !== e.hash) {
        throw new Error(`baseline walk found a break at ${expectedSeq}`);
      }
      prevHash = e.hash;
      expectedSeq += 1;
    }
    if (batch.length < 5_000) return expectedSeq - 1;
  }
}

async function viewerQueries(db: Db): Promise<void> {
  // person1's events resolve through the User table to actorId; person2 is not a user: exact label.
  await db.user.create({ data: { id: "user0001", email: "person1@example.com", name: "Person 1" } });
  const halfway = Math.floor(count / 2);
  const day = new Date(Date.now() - (count / 2) * 30_000);
  const minute = (d: Date) => d.toISOString().slice(0, 16);
  const cases: [string, TAuditFilter, AuditCursor][] = [
    ["newest page, no filter", {}, {}],
    [`page before #${halfway.toLocaleString("en-US")}, no filter`, {}, { before: halfway }],
    ["action", { action: "service.updated" }, {}],
    ["action, deep", { action: "service.updated" }, { before: halfway }],
    ["actor (a user: actorId)", { actor: "person1@example.com" }, {}],
    ["actor (a user), deep", { actor: "person1@example.com" }, { before: halfway }],
    ["actor (not a user: label, no index)", { actor: "person2@example.com" }, {}],
    ["target type + id", { targetType: "Service", targetId: "service-2" }, {}],
    ["target type only", { targetType: "Service" }, {}],
    ["time range (one day, half-way back)", { from: new Date(minute(day) + "Z"), to: new Date(minute(new Date(day.getTime() + 86_400_000)) + "Z") }, {}],
    ["action + time range", { action: "user.created", from: new Date(minute(day) + "Z"), to: new Date(minute(new Date(day.getTime() + 86_400_000)) + "Z") }, {}],
  ];
  console.log("  viewer page queries (50 rows, median of 5):");
  for (const [label, filter, cursor] of cases) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      rows = (await auditPage(filter, cursor, 50, db)).events.length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`    ${label.padEnd(40)} ${times[2]!.toFixed(1).padStart(8)} ms  (${rows} rows)`);
  }
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
