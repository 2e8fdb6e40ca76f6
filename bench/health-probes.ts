/**
 * The health probe engine at scale: N HTTP checks with a 30 s interval against a local target in a
 * SEPARATE process that logs each probe's arrival time (check id in the path), with the real health
 * worker (lease, scheduler in its worker thread, batched persistence, roll-ups) on a fresh SQLite
 * database (or a scratch MariaDB database with --mysql, i.e. TEST_DATABASE_URL or
 * mysql://root@127.0.0.1:3306/test). Runs a few intervals per size and prints:
 *
 * - schedule lag: |gap between consecutive arrivals of a check - interval| (p50/p95/max), and how
 *   late arrivals are against the check's grid slot (p50/p95/max);
 * - probes completed vs expected (a grid slot inside the window without an arrival is missed);
 * - CPU per probe: process.cpuUsage() of this whole process (main thread + probe thread, incl.
 *   persistence and roll-ups) over the window / probes completed; RSS (peak);
 * - main-thread event-loop delay p95/max (what page renders would feel); DB writes: samples,
 *   flushes, mean and max flush, database file growth (SQLite).
 *
 *   npm run bench:health [-- 1000 5000 10000] [--intervals 3] [--interval 30] [--mysql]
 *                        [--in-process] [--block 80]
 *
 * --in-process runs the scheduler on the main thread (HEALTH_PROBE_THREAD=0); --block N makes the
 * main thread busy for N ms every second (a stand-in for server-side rendering) to compare the two.
 */
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { quantile } from "./lib.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const optionValues = new Set(["--intervals", "--interval", "--block"].flatMap((n) => (args.includes(n) ? [args[args.indexOf(n) + 1]] : [])));
const SIZES = args.filter((a) => /^\d+$/.test(a) && !optionValues.has(a)).map(Number);
if (!SIZES.length) SIZES.push(1_000, 5_000, 10_000);
const INTERVALS = option("--intervals", 3);
const INTERVAL_S = option("--interval", 30);
const BLOCK_MS = option("--block", 0);
const THREADED = !flag("--in-process");
if (flag("--mysql")) process.env.TEST_DATABASE_URL ??= "mysql://root@127.0.0.1:3306/test";
else delete process.env.TEST_DATABASE_URL;

process.env.LOG_LEVEL ??= "silent";
process.env.DATA_DIR ??= path.join(os.tmpdir(), "ops-portal-bench-keys");

// The target: a plain node process answering 200 to everything, logging arrivals per check id.
const TARGET = `
const http = require("node:http");
const arrivals = new Map();
// The target's own event-loop stalls (a machine-wide hiccup shows here too).
let stallMax = 0;
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  stallMax = Math.max(stallMax, now - last - 10);
  last = now;
}, 10);
const server = http.createServer((req, res) => {
  const t = performance.timeOrigin + performance.now();
  if (req.url === "/__report") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ stallMax, arrivals: Object.fromEntries(arrivals) }));
    arrivals.clear();
    stallMax = 0;
    return;
  }
  const id = req.url.slice(3);
  let list = arrivals.get(id);
  if (!list) arrivals.set(id, (list = []));
  list.push(t);
  res.end("ok");
});
server.keepAliveTimeout = 1000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

type Report = { stallMax: number; arrivals: Record<string, number[]> };

async function startTarget(): Promise<{ url: string; report(): Promise<Report>; stop(): void }> {
  const child = spawn(process.execPath, ["-e", TARGET], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => createInterface({ input: child.stdout! }).once("line", (l) => resolve(Number(l))));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    report: async () => (await (await fetch(`${url}/__report`)).json()) as Report,
    stop: () => child.kill("SIGTERM"),
  };
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "-");

type Result = {
  n: number;
  provider: string;
  windowS: number;
  expected: number;
  completed: number;
  missed: number;
  extra: number;
  gapP50: number;
  gapP95: number;
  gapMax: number;
  lateP50: number;
  lateP95: number;
  lateMax: number;
  cpuMsPerProbe: number;
  cpuPct: number;
  rssMb: number;
  loopP95: number;
  loopMax: number;
  samples: number;
  flushes: number;
  flushMeanMs: number;
  dbGrowthMb: number;
  rollupMs: number;
  maintenanceCpuMs: number;
  startLagP95: number;
  startLagMax: number;
  targetStallMax: number;
  load: string;
};

async function runSize(n: number): Promise<Result> {
  const { createTestDatabase } = await import("../lib/testing/test-database.ts");
  const database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  const { createDb } = await import("../lib/db/client.ts");
  const db = createDb(database.url);
  const holder = globalThis as unknown as { opsPortalDb?: unknown };
  holder.opsPortalDb = db; // modules that use the shared client use this run's database
  const { startHealthWorker } = await import("../lib/health/worker.ts");
  const { phaseOf } = await import("../lib/health/scheduler.ts");
  const { rollUp } = await import("../lib/health/rollup.ts");
  const target = await startTarget();
  try {
    // N checks over N/100 services.
    const services: { id: string }[] = [];
    for (let s = 0; s < Math.ceil(n / 100); s++) services.push(await db.service.create({ data: { name: `bench-${s}`, environment: "PRODUCTION", ownerTeam: "bench", tier: 2 } }));
    const ids: string[] = [];
    for (let i = 0; i < n; i += 1_000) {
      const data = Array.from({ length: Math.min(1_000, n - i) }, (_, j) => {
        const k = i + j;
        const id = `bench${String(k).padStart(6, "0")}${Math.random().toString(36).slice(2, 8)}`;
        ids.push(id);
        return { id, serviceId: services[Math.floor(k / 100)]!.id, name: `check-${k}`, kind: "HTTP" as const, url: `${target.url}/c/${id}`, intervalSeconds: INTERVAL_S, timeoutMs: 5_000, retries: 1 };
      });
      await db.healthCheck.createMany({ data });
    }
    const dbFile = database.provider === "sqlite" ? database.url.replace(/^file:/, "") : null;
    const size0 = dbFile ? statSync(dbFile).size : 0;

    // Roll-ups, summaries and retention run every 60 s as in production, but driven from here so
    // their CPU can be reported apart (process.cpuUsage around each run).
    const worker = startHealthWorker({ db, threaded: THREADED, leaseMs: 30_000, maintenanceEveryMs: 3_600_000 });
    const maintenanceCpu: number[] = [];
    const maintainer = setInterval(() => {
      const c0 = process.cpuUsage();
      void worker.maintain().then(() => {
        const c = process.cpuUsage(c0);
        maintenanceCpu.push((c.user + c.system) / 1000);
      });
    }, 60_000);
    while (!worker.active()) await new Promise((r) => setTimeout(r, 50));
    const blocker = BLOCK_MS
      ? setInterval(() => {
          const until = performance.now() + BLOCK_MS;
          while (performance.now() < until);
        }, 1_000)
      : null;
    // Warm-up: half an interval (the thread starts, the first slots fire), then measure.
    await new Promise((r) => setTimeout(r, (INTERVAL_S * 1000) / 2));
    await target.report(); // drop the warm-up's arrivals
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    const writer0 = (await worker.engine()!.stats()).writer;
    let peakRss = 0;
    const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 1_000);
    await new Promise((r) => setTimeout(r, INTERVALS * INTERVAL_S * 1000));
    const t1 = Date.now();
    const cpu = process.cpuUsage(cpu0);
    // The scheduler's own view (in its thread) over the window: how late probes STARTED against their slot.
    const startLag = await worker.engine()!.stats();
    const writer1 = startLag.writer;
    clearInterval(rssTimer);
    loop.disable();
    if (blocker) clearInterval(blocker);
    // Probes started before t1 may still arrive: wait a little before reading the target.
    await new Promise((r) => setTimeout(r, 1_000));
    const report = await target.report();
    const arrivals = report.arrivals;
    clearInterval(maintainer);
    await worker.stop();

    const intervalMs = INTERVAL_S * 1000;
    const gaps: number[] = [];
    const late: number[] = [];
    let expected = 0;
    let completed = 0;
    let missed = 0;
    let extra = 0;
    for (const id of ids) {
      const phase = phaseOf(id) * intervalMs;
      const times = (arrivals[id] ?? []).filter((t) => t >= t0 && t < t1 + 1_000).sort((a, b) => a - b);
      // Grid slots inside the window, each matched with an arrival within half an interval after it.
      const slots: number[] = [];
      for (let s = phase + Math.ceil((t0 - phase) / intervalMs) * intervalMs; s < t1; s += intervalMs) slots.push(s);
      expected += slots.length;
      let j = 0;
      for (const s of slots) {
        while (j < times.length && times[j]! < s) j++;
        if (j < times.length && times[j]! < s + intervalMs / 2) {
          late.push(times[j]! - s);
          completed++;
          j++;
        } else missed++;
      }
      extra += Math.max(0, times.filter((t) => t < t1).length - slots.length);
      for (let k = 1; k < times.length; k++) gaps.push(Math.abs(times[k]! - times[k - 1]! - intervalMs));
    }
    gaps.sort((a, b) => a - b);
    late.sort((a, b) => a - b);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const windowMs = t1 - t0;

    // One roll-up pass over what the run stored (the worker also ran its own every 60 s).
    const r0 = performance.now();
    await rollUp(db, { now: new Date(Date.now() + 2 * 60_000), graceMs: 0 });
    const rollupMs = performance.now() - r0;
    const size1 = dbFile ? statSync(dbFile).size + (safeSize(`${dbFile}-wal`) ?? 0) : 0;
    const result: Result = {
      n,
      provider: database.provider,
      windowS: windowMs / 1000,
      expected,
      completed,
      missed,
      extra,
      gapP50: quantile(gaps, 0.5),
      gapP95: quantile(gaps, 0.95),
      gapMax: gaps[gaps.length - 1] ?? NaN,
      lateP50: quantile(late, 0.5),
      lateP95: quantile(late, 0.95),
      lateMax: late[late.length - 1] ?? NaN,
      cpuMsPerProbe: cpuMs / Math.max(1, completed),
      cpuPct: (cpuMs / windowMs) * 100,
      rssMb: peakRss / 1048576,
      loopP95: loop.percentile(95) / 1e6,
      loopMax: loop.max / 1e6,
      samples: writer1.samples - writer0.samples,
      flushes: writer1.flushes - writer0.flushes,
      flushMeanMs: (writer1.flushMs - writer0.flushMs) / Math.max(1, writer1.flushes - writer0.flushes),
      dbGrowthMb: (size1 - size0) / 1048576,
      rollupMs,
      maintenanceCpuMs: maintenanceCpu.length ? maintenanceCpu.reduce((a, b) => a + b, 0) / maintenanceCpu.length : NaN,
      startLagP95: startLag.lagP95Ms,
      startLagMax: startLag.lagMaxMs,
      targetStallMax: report.stallMax,
      load: os.loadavg().map((l) => l.toFixed(2)).join(" "),
    };
    await db.$disconnect();
    await database.drop();
    return result;
  } finally {
    target.stop();
  }
}

function safeSize(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

const results: Result[] = [];
const started = Date.now();
console.log(`health probes bench: ${SIZES.join(", ")} checks, ${INTERVAL_S} s interval, ${INTERVALS} intervals measured, scheduler ${THREADED ? "in its worker thread" : "on the main thread"}${BLOCK_MS ? `, main thread blocked ${BLOCK_MS} ms every second` : ""}; ${os.cpus().length} cores, load before ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
for (const n of SIZES) {
  const r = await runSize(n);
  results.push(r);
  console.log(JSON.stringify(r));
}
console.log(`\nHealth probes (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
const cols: [string, (r: Result) => string][] = [
  ["checks", (r) => String(r.n)],
  ["db", (r) => r.provider],
  ["expected", (r) => String(r.expected)],
  ["done", (r) => String(r.completed)],
  ["missed", (r) => String(r.missed)],
  ["gap-lag p50", (r) => fmt(r.gapP50)],
  ["p95", (r) => fmt(r.gapP95)],
  ["max", (r) => fmt(r.gapMax)],
  ["late p50", (r) => fmt(r.lateP50)],
  ["p95", (r) => fmt(r.lateP95)],
  ["max", (r) => fmt(r.lateMax)],
  ["start p95", (r) => fmt(r.startLagP95)],
  ["start max", (r) => fmt(r.startLagMax)],
  ["target stall", (r) => fmt(r.targetStallMax)],
  ["CPU ms/probe", (r) => fmt(r.cpuMsPerProbe, 3)],
  ["CPU %", (r) => fmt(r.cpuPct)],
  ["RSS MB", (r) => fmt(r.rssMb, 0)],
  ["loop p95", (r) => fmt(r.loopP95)],
  ["loop max", (r) => fmt(r.loopMax)],
  ["flush ms", (r) => fmt(r.flushMeanMs)],
  ["DB +MB", (r) => fmt(r.dbGrowthMb)],
  ["roll-up ms", (r) => fmt(r.rollupMs, 0)],
  ["maint. CPU", (r) => fmt(r.maintenanceCpuMs, 0)],
  ["load", (r) => r.load],
];
console.log(cols.map(([h]) => h.padStart(12)).join(""));
for (const r of results) console.log(cols.map(([, f]) => f(r).padStart(12)).join(""));
console.log("\ngap-lag: |gap between consecutive arrivals - interval| (ms); late: arrival - grid slot (ms); loop: main-thread event-loop delay (ms);");
console.log("start: how late the scheduler started probes against their slot (its own clock, in its thread); target stall: the target process's longest event-loop stall");
console.log("CPU ms/probe: the whole process over the window (probes, persistence, the roll-up runs) / probes; maint. CPU: CPU ms of one roll-up + summaries + retention run (every 60 s)");
process.exit(0);
