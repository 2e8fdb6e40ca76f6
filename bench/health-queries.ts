/**
 * Health read paths at scale, on a temporary SQLite file (and a scratch MariaDB database when
 * BENCH_DATABASE_URL names a local server):
 *   (a) the overview: 10,000 checks over 500 services (states with uptime/p95 summaries, 1,500
 *       deployments), p50/p95 of lib/health/overview.ts healthOverview() and, through the built
 *       production server (`npx next build` first), of GET /health (the page, server-rendered with
 *       a session cookie) and GET /api/health-data/overview (the JSON the page refetches), measured
 *       while that server's own health worker probes all 10,000 checks (30 s interval, ~333
 *       probes/s) against a small HTTP target in this process: the figures include that load;
 *   (b) the chart queries: 30 days of 30-second probes for 200 of those checks (20 services x 10
 *       checks) generated, rolled up the way the roll-up job does (count, failures, latency sum,
 *       nearest-rank p50/p95, max per minute and per hour) and kept as the retention would keep
 *       them (HOUR for 30 days, MINUTE for 14 d, raw for 48 h, the newest hour and minute not
 *       rolled up yet); p50/p95 of lib/health/series.ts healthSeries() for one check and for a
 *       whole service (10 checks) over 30 d, 7 d, 24 h and 1 h.
 *
 *   npx next build && npm run bench:health-queries [-- --no-http]
 *   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/ npm run bench:health-queries
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { hashToken, newSessionToken } from "../lib/auth/sessions.ts";
import { resolveRange, ZRangeQuery } from "../lib/charts/range.ts";
import { createDb, type Db } from "../lib/db/client.ts";
import { insertHealthRollupsBulk, insertHealthSamplesBulk, type BulkRollup, type BulkSample } from "../lib/db/health-bulk.ts";
import { migrateDatabase } from "../lib/db/migrate.ts";
import { createScratchMysqlDatabase } from "../lib/db/scratch-mysql.ts";
import { healthOverview } from "../lib/health/overview.ts";
import { percentile } from "../lib/deployments/probe.ts";
import { healthSeries } from "../lib/health/series.ts";
import { quantile, stop } from "./lib.ts";

const args = process.argv.slice(2);
const HTTP = !args.includes("--no-http") && existsSync(".next/BUILD_ID");
const CHARTS = !args.includes("--no-charts");
const KEEP = process.env.BENCH_KEEP_DB; // a path: the SQLite file is kept there for poking at
const SERVICES = 500;
const CHECKS = 10_000;
const HISTORY_SERVICES = 20;
const CHECKS_PER_SERVICE = CHECKS / SERVICES; // 20; 10 of each history service's get 30 days of probes
const HISTORY_CHECKS_PER_SERVICE = 10;
const RUNS = 30;
const HTTP_RUNS = 30;
const PORT = 5413;
const WARMUP_MS = 35_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const INTERVAL = 30_000;
// The engine's default retention (lib/health/retention.ts): raw 48 h, MINUTE 14 d, HOUR 400 d.
const RAW_RETENTION = 48 * HOUR;
const MINUTE_RETENTION = 14 * DAY;
const NOW = Math.floor(Date.now() / INTERVAL) * INTERVAL;

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(7);
const fmt = (n: number) => n.toFixed(1).padStart(7);

async function measure(runs: number, fn: () => Promise<number>): Promise<{ p50: number; p95: number; rows: number }> {
  await fn();
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), rows };
}

type Loaded = { benchUser: string; historyServices: { id: string; checks: string[] }[] };

/**
 * What the checks probe: a tiny HTTP server here, counting requests, so the portal under test runs
 * its real probe schedule (333 probes/s for 10,000 checks at 30 s) while its pages are measured.
 */
type ProbeTarget = { port: number; hits(): number; close(): Promise<void> };
async function startProbeTarget(): Promise<ProbeTarget> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, hits: () => hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function loadOverview(db: Db, target: ProbeTarget): Promise<Loaded> {
  const teams = Array.from({ length: 25 }, (_, i) => `Team ${i + 1}`);
  await db.service.createMany({
    data: Array.from({ length: SERVICES }, (_, i) => ({ name: `svc-${String(i).padStart(3, "0")}`, environment: i % 4 === 0 ? ("STAGING" as const) : ("PRODUCTION" as const), ownerTeam: teams[i % teams.length]!, tier: 1 + (i % 3) })),
  });
  const services = await db.service.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
  const user = await db.user.create({ data: { email: "bench@bench.local", name: "Bench", role: "ADMIN" }, select: { id: true } });
  const checks = services.flatMap((s, si) =>
    Array.from({ length: CHECKS_PER_SERVICE }, (_, ci) => ({ id: `chk-${si}-${ci}`, serviceId: s.id, name: `check ${ci}`, kind: "HTTP" as const, url: `http://127.0.0.1:${target.port}/c/${si}-${ci}`, intervalSeconds: 30, paused: (si + ci) % 97 === 0 })),
  );
  for (let i = 0; i < checks.length; i += 2_000) await db.healthCheck.createMany({ data: checks.slice(i, i + 2_000) });
  const states = checks.map((c) => {
    const r = rand();
    return {
      checkId: c.id,
      status: r < 0.01 ? ("DOWN" as const) : r < 0.02 ? ("PENDING" as const) : ("UP" as const),
      lastCheckedAt: new Date(NOW - Math.floor(rand() * 30_000)),
      lastOk: r >= 0.01,
      lastLatencyMs: 20 + rand() * 200,
      uptime24h: 1 - rand() / 100,
      uptime7d: 1 - rand() * 0.005,
      uptime30d: 1 - rand() * 0.003,
      p95LatencyMs24h: 50 + rand() * 400,
      summarizedAt: new Date(NOW),
    };
  });
  for (let i = 0; i < states.length; i += 2_000) await db.healthCheckState.createMany({ data: states.slice(i, i + 2_000) });
  // Three deployments per service (1,500), each with its change request.
  await db.changeRequest.createMany({
    data: services.map((s, i) => ({ number: i + 1, title: `Release of ${s.name}`, serviceId: s.id, type: "NORMAL" as const, risk: "LOW" as const, status: "DEPLOYED" as const, requesterId: user.id, plannedStart: new Date(NOW - 10 * DAY), plannedEnd: new Date(NOW - 9 * DAY) })),
  });
  const changes = await db.changeRequest.findMany({ select: { id: true, serviceId: true } });
  await db.deployment.createMany({
    data: changes.flatMap((c, i) =>
      [0, 1, 2].map((k) => ({
        number: i * 3 + k + 1,
        changeId: c.id,
        serviceId: c.serviceId,
        version: `1.${k}.0`,
        status: k === 2 && i % 10 === 0 ? ("ROLLED_BACK" as const) : ("SUCCEEDED" as const),
        toColour: k % 2 ? ("BLUE" as const) : ("GREEN" as const),
        triggeredById: user.id,
        idempotencyKey: `k${i}-${k}`,
        startedAt: new Date(NOW - (30 - k * 10) * DAY + i * MIN),
        finishedAt: new Date(NOW - (30 - k * 10) * DAY + i * MIN + 5 * MIN),
      })),
    ),
  });
  const historyServices = services.slice(0, HISTORY_SERVICES).map((s, si) => ({
    id: s.id,
    checks: Array.from({ length: HISTORY_CHECKS_PER_SERVICE }, (_, ci) => `chk-${si}-${ci}`),
  }));
  return { benchUser: user.id, historyServices };
}

type Acc = { count: number; failures: number; sum: number; lat: number[] };
function toRollup(checkId: string, resolution: "MINUTE" | "HOUR", t: number, a: Acc): BulkRollup {
  const sorted = a.lat.sort((x, y) => x - y);
  return { checkId, resolution, bucketStart: new Date(t), count: a.count, failures: a.failures, latencySum: a.sum, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: sorted.at(-1) ?? 0 };
}

/** 30 days of 30 s probes per check, rolled up and trimmed as the engine's jobs would leave them. */
async function loadHistory(db: Db, checks: string[]): Promise<{ samples: number; minute: number; hour: number; generated: number }> {
  const start = NOW - 30 * DAY;
  const lastHour = Math.floor(NOW / HOUR) * HOUR;
  const lastMinute = Math.floor(NOW / MIN) * MIN;
  const totals = { samples: 0, minute: 0, hour: 0, generated: 0 };
  for (const [n, checkId] of checks.entries()) {
    const base = 20 + rand() * 150;
    const samples: BulkSample[] = [];
    const rollups: BulkRollup[] = [];
    let hour: Acc | null = null;
    let hourStart = -1;
    let minute: Acc | null = null;
    let minuteStart = -1;
    for (let t = start; t < NOW; t += INTERVAL) {
      const r = rand();
      const ok = r > 0.001;
      const latencyMs = ok ? Math.round(base * (r > 0.95 ? 3 : 1 + r * 0.5) * 10) / 10 : 5000;
      totals.generated += 1;
      const h = Math.floor(t / HOUR) * HOUR;
      if (h !== hourStart) {
        if (hour && hourStart < lastHour) rollups.push(toRollup(checkId, "HOUR", hourStart, hour));
        hour = { count: 0, failures: 0, sum: 0, lat: [] };
        hourStart = h;
      }
      const m = Math.floor(t / MIN) * MIN;
      if (m !== minuteStart) {
        if (minute && minuteStart < lastMinute && minuteStart >= NOW - MINUTE_RETENTION) rollups.push(toRollup(checkId, "MINUTE", minuteStart, minute));
        minute = { count: 0, failures: 0, sum: 0, lat: [] };
        minuteStart = m;
      }
      // Latency figures over successful probes only, as lib/health/rollup.ts computes them.
      for (const a of [hour!, minute!]) {
        a.count += 1;
        if (ok) {
          a.sum += latencyMs;
          a.lat.push(latencyMs);
        } else a.failures += 1;
      }
      if (t >= NOW - RAW_RETENTION) samples.push({ checkId, at: new Date(t), ok, latencyMs, statusCode: ok ? 200 : 503, error: ok ? "" : "HTTP 503" });
    }
    if (hour && hourStart < lastHour) rollups.push(toRollup(checkId, "HOUR", hourStart, hour));
    totals.samples += await insertHealthSamplesBulk(db, samples);
    await insertHealthRollupsBulk(db, rollups);
    totals.minute += rollups.filter((r) => r.resolution === "MINUTE").length;
    totals.hour += rollups.filter((r) => r.resolution === "HOUR").length;
    if (n % 20 === 19) process.stderr.write(`\r  history: ${n + 1} / ${checks.length} checks`);
  }
  process.stderr.write("\n");
  return totals;
}

async function startServer(url: string, secret: string): Promise<{ child: ChildProcess; base: string; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ops-bench-health-srv-"));
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server.ts"], {
    env: { ...process.env, NODE_ENV: "production", NEXTAUTH_SECRET: secret, APP_ENCRYPTION_KEY: randomBytes(32).toString("base64"), DATA_DIR: dataDir, DATABASE_URL: url, PORT: String(PORT), LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${PORT}`;
  const t0 = performance.now();
  for (;;) {
    try {
      if ((await fetch(`${base}/api/ready`)).ok) return { child, base, dataDir };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || performance.now() - t0 > 120_000) {
      await stop(child);
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error("the server did not become ready");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function httpBench(name: string, db: Db, url: string, benchUser: string, target: ProbeTarget): Promise<void> {
  const sessionToken = newSessionToken();
  const now = new Date();
  await db.session.create({
    data: { tokenHash: hashToken(sessionToken), userId: benchUser, ip: "127.0.0.1", userAgent: "bench", createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + DAY) },
  });
  const secret = randomBytes(32).toString("base64");
  const server = await startServer(url, secret);
  try {
    const cookie = `ops-portal.session=${await encode({ token: { sid: sessionToken }, secret })}`;
    const probe = await fetch(`${server.base}/health`, { headers: { cookie }, redirect: "manual" });
    if (probe.status !== 200) throw new Error(`GET /health answered ${probe.status}: the bench session was not accepted`);
    // One whole interval, so every check's probe is on its schedule before the pages are timed.
    process.stderr.write(`  waiting ${WARMUP_MS / 1000} s for the server's health worker to probe every check once\n`);
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const hitsBefore = target.hits();
    const timedFrom = performance.now();
    console.log(`\n${name}: over HTTP (built server, localhost, time to the full response), ${HTTP_RUNS} runs each, while its health worker probes the ${CHECKS.toLocaleString("en-US")} checks`);
    for (const [label, p] of [
      ["GET /health (page, 500 services)", "/health"],
      ["GET /health?team=Team 3 (20 services)", "/health?team=Team%203"],
      ["GET /api/health-data/overview (JSON)", "/api/health-data/overview"],
    ] as const) {
      const s = await measure(HTTP_RUNS, async () => {
        const res = await fetch(`${server.base}${p}`, { headers: { cookie } });
        const body = await res.text();
        if (!res.ok) throw new Error(`${label}: ${res.status}`);
        return body.length;
      });
      console.log(`  ${label.padEnd(42)} p50 ${fmt(s.p50)} ms  p95 ${fmt(s.p95)} ms  ${Math.round(s.rows / 1024)} KB`);
    }
    const seconds = (performance.now() - timedFrom) / 1000;
    const active = await db.healthCheck.count({ where: { paused: false } });
    console.log(
      `  probes served to the target meanwhile: ${target.hits() - hitsBefore} in ${seconds.toFixed(1)} s = ${((target.hits() - hitsBefore) / seconds).toFixed(0)}/s (schedule: ${active.toLocaleString("en-US")} active checks / 30 s = ${(active / 30).toFixed(0)}/s)`,
    );
  } finally {
    await stop(server.child);
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

async function run(name: string, url: string): Promise<void> {
  await migrateDatabase(url);
  const db = createDb(url);
  const target = await startProbeTarget();
  try {
    let t0 = performance.now();
    const loaded = await loadOverview(db, target);
    console.log(`\n${name}: ${SERVICES} services, ${CHECKS.toLocaleString("en-US")} checks with states, 1,500 deployments loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const historyChecks = loaded.historyServices.flatMap((s) => s.checks);
    t0 = performance.now();
    const h = CHARTS ? await loadHistory(db, historyChecks) : { generated: 0, samples: 0, minute: 0, hour: 0 };
    console.log(
      `  ${historyChecks.length} checks x 30 days of 30 s probes: ${h.generated.toLocaleString("en-US")} generated; kept ${h.samples.toLocaleString("en-US")} raw (48 h), ${h.minute.toLocaleString("en-US")} MINUTE (14 d), ${h.hour.toLocaleString("en-US")} HOUR roll-ups; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    console.log(`\n${name}: lib functions, ${RUNS} runs each`);
    const o = await measure(RUNS, async () => (await healthOverview({}, db)).services.length);
    console.log(`  ${"healthOverview() all 500 services".padEnd(42)} p50 ${fmt(o.p50)} ms  p95 ${fmt(o.p95)} ms  ${o.rows} rows`);
    const ot = await measure(RUNS, async () => (await healthOverview({ team: "Team 3" }, db)).services.length);
    console.log(`  ${"healthOverview({ team })".padEnd(42)} p50 ${fmt(ot.p50)} ms  p95 ${fmt(ot.p95)} ms  ${ot.rows} rows`);
    const svc = loaded.historyServices[3]!;
    for (const range of CHARTS ? (["30d", "7d", "24h", "1h"] as const) : []) {
      for (const [scope, ids] of [["one check", [svc.checks[0]!]], ["service (10 checks)", svc.checks]] as const) {
        let source = "";
        const s = await measure(RUNS, async () => {
          const r = await healthSeries(ids, resolveRange(ZRangeQuery.parse({ range })), { minIntervalMs: INTERVAL, db });
          source = `${r.source}, ${r.bucketMs / 1000} s buckets`;
          return r.points.length;
        });
        console.log(`  ${`healthSeries ${range}, ${scope}`.padEnd(42)} p50 ${fmt(s.p50)} ms  p95 ${fmt(s.p95)} ms  ${s.rows} points (${source})`);
      }
    }
    if (HTTP) await httpBench(name, db, url, loaded.benchUser, target);
  } finally {
    await target.close();
    await db.$disconnect();
  }
}

console.log(`health queries benchmark, ${os.cpus().length} cores, Node ${process.version}${HTTP ? "" : " (no HTTP part: run `npx next build` first, or --no-http given)"}`);
const dir = mkdtempSync(path.join(os.tmpdir(), "ops-bench-health-"));
try {
  await run("SQLite", `file:${KEEP ?? path.join(dir, "bench.db")}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const server = process.env.BENCH_DATABASE_URL;
if (server) {
  const scratch = await createScratchMysqlDatabase(server, "ops_bench");
  try {
    await run("MariaDB/MySQL", scratch.url);
  } finally {
    await scratch.drop();
  }
}
