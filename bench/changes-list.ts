/**
 * The change list at scale: loads 100,000 change requests (spread over 40 services, 60
 * requesters, every status, type and risk, three years of dates) into a temporary SQLite file and,
 * when BENCH_DATABASE_URL names a local MariaDB/MySQL server, into a scratch database there; then
 * measures p50/p95 of
 *   (a) the list query the page and the API use (lib/changes/list.ts changePage, 50 rows) for the
 *       usual filter combinations, the first page and deep pages through a cursor, and the full CSV export;
 *   (b) over HTTP against the built server (`npx next build` first): GET /changes (the page,
 *       server-rendered, with a session cookie) and GET /api/v1/changes (a bearer API token).
 * Scratch data is removed afterwards.
 *
 *   npx next build && npm run bench:changes [-- count] [--no-http]
 *   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/ npm run bench:changes
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { apiTokenDisplayPrefix, apiTokenHash, generateApiToken } from "../lib/api-tokens/token.ts";
import { hashToken, newSessionToken } from "../lib/auth/sessions.ts";
import { changeCsvStream } from "../lib/changes/export.ts";
import { changeQueryParams, ZChangeQuery, type TChangeQuery } from "../lib/changes/filters.ts";
import { changeFilterOptions, changePage, encodeCursor, type ChangePageCursor } from "../lib/changes/list.ts";
import { createDb, type Db } from "../lib/db/client.ts";
import { migrateDatabase } from "../lib/db/migrate.ts";
import { createScratchMysqlDatabase } from "../lib/db/scratch-mysql.ts";
import { quantile, stop } from "./lib.ts";

const args = process.argv.slice(2);
const COUNT = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const HTTP = !args.includes("--no-http") && existsSync(".next/BUILD_ID");
const RUNS = 30;
const HTTP_RUNS = 20;
const PORT = 3441;

// ---------------------------------------------------------------------------------------------
// Synthetic data: deterministic, so runs compare.

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(42);
function weighted<T extends string>(table: Record<T, number>): T {
  const entries = Object.entries(table) as [T, number][];
  let r = rand() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of entries) if ((r -= w) < 0) return k;
  return entries[0]![0];
}
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const STATUS_WEIGHTS = {
  CLOSED: 52, CANCELLED: 8, DEPLOYED: 6, REJECTED: 5, SCHEDULED: 5, APPROVED: 5,
  SUBMITTED: 6, DRAFT: 6, FAILED: 2, ROLLED_BACK: 3, DEPLOYING: 2,
} as const;
const SERVICE_NAMES = [
  "payments-api", "checkout-web", "search", "identity", "orders", "inventory", "notifications", "billing",
  "reporting", "gateway", "catalogue", "shipping", "pricing", "recommendations", "ledger", "fraud-check",
  "media", "support-desk", "analytics", "scheduler",
];
const VERBS = ["Upgrade", "Patch", "Roll out", "Migrate", "Rotate", "Scale", "Reconfigure", "Decommission", "Tune", "Enable"];
const THINGS = [
  "postgres driver", "TLS certificates", "Kong plugins", "nginx ingress", "JVM heap", "Redis cluster", "feature flag",
  "k3s node pool", "MySQL replica", "log shipping", "rate limits", "cron schedule", "base image", "OpenSSL",
];
const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 27);
const START = END - 3 * 365 * DAY;

async function load(db: Db): Promise<{ services: string[]; requesters: string[]; benchUser: string }> {
  const services: string[] = [];
  for (const name of SERVICE_NAMES) {
    for (const environment of ["PRODUCTION", "STAGING"] as const) {
      const s = await db.service.create({ data: { name, environment, ownerTeam: `${name} team`, tier: 1 + (services.length % 3) }, select: { id: true } });
      services.push(s.id);
    }
  }
  await db.user.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({ email: `requester${i + 1}@bench.test`, name: `Requester ${i + 1}`, role: "OPERATOR" as const })),
  });
  const requesters = (await db.user.findMany({ where: { email: { endsWith: "@bench.test" } }, select: { id: true }, orderBy: { email: "asc" } })).map((u) => u.id);
  const bench = await db.user.create({ data: { email: "bench@bench.local", name: "Bench", role: "ADMIN" }, select: { id: true } });
  // A few busy services and requesters, a long tail of quiet ones, as in real life.
  const skewed = <T,>(xs: T[]) => xs[Math.floor(rand() ** 2 * xs.length)]!;
  const BATCH = 1_000;
  for (let from = 1; from <= COUNT; from += BATCH) {
    const rows = [];
    for (let number = from; number < Math.min(from + BATCH, COUNT + 1); number++) {
      // Numbers rise with creation time, as the counter allocates them.
      const createdAt = new Date(START + ((number - 1) / COUNT) * (END - START) + Math.floor(rand() * 3_600_000));
      const plannedStart = new Date(createdAt.getTime() + Math.floor(1 + rand() * 14) * DAY + Math.floor(rand() * 24) * 3_600_000);
      const type = weighted({ NORMAL: 70, STANDARD: 25, EMERGENCY: 5 });
      const status = weighted(STATUS_WEIGHTS);
      rows.push({
        number,
        title: `${pick(VERBS)} ${pick(THINGS)} on ${pick(SERVICE_NAMES)} (${number % 97})`,
        serviceId: skewed(services),
        requesterId: skewed(requesters),
        type,
        risk: type === "STANDARD" ? ("LOW" as const) : weighted({ LOW: 40, MEDIUM: 40, HIGH: 20 }),
        status,
        plannedStart,
        plannedEnd: new Date(plannedStart.getTime() + (1 + Math.floor(rand() * 4)) * 3_600_000),
        createdAt,
        retrospectiveAt: type === "EMERGENCY" && rand() < 0.9 ? new Date(plannedStart.getTime() + 3 * DAY) : null,
      });
    }
    await db.changeRequest.createMany({ data: rows });
    if (from % 20_000 === 1) process.stderr.write(`\r  loading ${(from - 1).toLocaleString("en-US")} / ${COUNT.toLocaleString("en-US")}`);
  }
  await db.counter.upsert({ where: { name: "change" }, create: { name: "change", value: COUNT }, update: { value: COUNT } });
  process.stderr.write("\n");
  return { services, requesters, benchUser: bench.id };
}

// ---------------------------------------------------------------------------------------------

type Stats = { p50: number; p95: number; rows: number };

async function measure(runs: number, fn: () => Promise<number>): Promise<Stats> {
  await fn(); // warm-up: first query plans, connection pool
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

type Case = { label: string; query: TChangeQuery; cursor: ChangePageCursor };

async function cases(db: Db, services: string[]): Promise<Case[]> {
  const q = (input: Record<string, string | string[]>) => ZChangeQuery.parse(input);
  // A cursor half-way down the default order, as if someone had paged 1,000 times.
  const middle = await db.changeRequest.findFirstOrThrow({
    orderBy: [{ plannedStart: "desc" }, { id: "desc" }],
    skip: Math.floor(COUNT / 2),
    select: { id: true, plannedStart: true },
  });
  const deep = encodeCursor({ sort: "plannedStart", dir: "desc", value: middle.plannedStart.toISOString(), id: middle.id });
  const deepNumber = encodeCursor({ sort: "number", dir: "asc", value: Math.floor(COUNT / 2), id: "" });
  const busyService = services[0]!;
  const quietService = services[services.length - 1]!;
  return [
    { label: "first page, no filter", query: q({}), cursor: {} },
    { label: `deep page (row ${Math.floor(COUNT / 2).toLocaleString("en-US")}) via cursor`, query: q({}), cursor: { after: deep } },
    { label: "deep page, sorted by number", query: q({ sort: "number", dir: "asc" }), cursor: { after: deepNumber } },
    { label: "sorted by created, oldest first", query: q({ sort: "createdAt", dir: "asc" }), cursor: {} },
    { label: "status SUBMITTED", query: q({ status: "SUBMITTED" }), cursor: {} },
    { label: "status APPROVED+SCHEDULED", query: q({ status: ["APPROVED", "SCHEDULED"] }), cursor: {} },
    { label: "service (busy)", query: q({ service: busyService }), cursor: {} },
    { label: "service (quiet)", query: q({ service: quietService }), cursor: {} },
    { label: "service + status FAILED", query: q({ service: quietService, status: "FAILED" }), cursor: {} },
    { label: "requester", query: q({ requester: "requester30@bench.test" }), cursor: {} },
    { label: "type EMERGENCY + risk HIGH", query: q({ type: "EMERGENCY", risk: "HIGH" }), cursor: {} },
    { label: "planned start in one month", query: q({ from: "2025-03-01", to: "2025-03-31" }), cursor: {} },
    { label: "search title (common word)", query: q({ q: "TLS" }), cursor: {} },
    { label: "search title (rare: scans all)", query: q({ q: "no such title anywhere" }), cursor: {} },
    { label: "search by number", query: q({ q: `CHG-${String(Math.floor(COUNT / 3)).padStart(6, "0")}` }), cursor: {} },
  ];
}

const fmt = (n: number) => n.toFixed(1).padStart(7);

async function queryBench(name: string, db: Db, list: Case[]): Promise<void> {
  console.log(`\n${name}: list query (changePage, 50 rows), ${RUNS} runs each`);
  console.log(`  ${"case".padEnd(38)} ${"p50 ms".padStart(7)} ${"p95 ms".padStart(7)}  rows`);
  for (const c of list) {
    const s = await measure(RUNS, async () => (await changePage(c.query, c.cursor, 50, db)).changes.length);
    console.log(`  ${c.label.padEnd(38)} ${fmt(s.p50)} ${fmt(s.p95)}  ${s.rows}`);
  }
  const options = await measure(RUNS, async () => (await changeFilterOptions(db)).requesters.length);
  console.log(`  ${"filter form options (page only)".padEnd(38)} ${fmt(options.p50)} ${fmt(options.p95)}  ${options.rows}`);
  const t0 = performance.now();
  const csv = await new Response(changeCsvStream(ZChangeQuery.parse({}), db)).text();
  const lines = csv.split("\r\n").length - 2;
  console.log(`  CSV export of all ${lines.toLocaleString("en-US")} rows: ${((performance.now() - t0) / 1000).toFixed(2)} s (${(csv.length / 1e6).toFixed(1)} MB)`);
}

async function startServer(url: string, secret: string): Promise<{ child: ChildProcess; base: string; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ops-bench-changes-srv-"));
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      // Throwaway keys: the bench writes its own session and token rows, nothing is encrypted.
      NEXTAUTH_SECRET: secret,
      APP_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      DATABASE_URL: url,
      PORT: String(PORT),
      LOG_LEVEL: "warn",
    },
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
    const failure =
      child.exitCode !== null ? "server exited before becoming ready" : performance.now() - t0 > 120_000 ? "server not ready after 120 s" : null;
    if (failure) {
      await stop(child);
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(failure);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function httpBench(name: string, db: Db, url: string, benchUser: string, list: Case[]): Promise<void> {
  // Credentials written straight into the scratch database: a session (cookie) and an API token.
  const sessionToken = newSessionToken();
  const now = new Date();
  await db.session.create({
    data: { tokenHash: hashToken(sessionToken), userId: benchUser, ip: "127.0.0.1", userAgent: "bench", createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + DAY) },
  });
  const apiToken = generateApiToken();
  await db.apiToken.create({
    data: { name: "bench", prefix: apiTokenDisplayPrefix(apiToken), tokenHash: apiTokenHash(apiToken), role: "VIEWER", userId: benchUser, expiresAt: new Date(now.getTime() + DAY) },
  });
  const secret = randomBytes(32).toString("base64");
  const server = await startServer(url, secret);
  try {
    // The cookie is the session token inside next-auth's encrypted JWT, as sign-in sets it.
    const cookie = `ops-portal.session=${await encode({ token: { sid: sessionToken }, secret })}`;
    const probe = await fetch(`${server.base}/changes`, { headers: { cookie }, redirect: "manual" });
    if (probe.status !== 200) throw new Error(`GET /changes answered ${probe.status}: the bench session was not accepted`);
    console.log(`\n${name}: over HTTP (built server, localhost, time to the full response), ${HTTP_RUNS} runs each`);
    console.log(`  ${"case".padEnd(38)} ${"page p50".padStart(8)} ${"p95".padStart(7)} ${"KB".padStart(5)}  ${"API p50".padStart(8)} ${"p95".padStart(7)}`);
    for (const c of list) {
      const params = changeQueryParams(c.query);
      const pageParams = new URLSearchParams(params);
      const apiParams = new URLSearchParams(params);
      if (c.cursor.after) {
        pageParams.set("after", c.cursor.after);
        apiParams.set("cursor", c.cursor.after);
      }
      const page = await measure(HTTP_RUNS, async () => {
        const res = await fetch(`${server.base}/changes?${pageParams}`, { headers: { cookie } });
        const html = await res.text();
        if (!res.ok) throw new Error(`page ${c.label}: ${res.status}`);
        return html.length;
      });
      const api = await measure(HTTP_RUNS, async () => {
        const res = await fetch(`${server.base}/api/v1/changes?${apiParams}`, { headers: { authorization: `Bearer ${apiToken}` } });
        const body = (await res.json()) as { data?: { changes: unknown[] } };
        if (!res.ok || !body.data) throw new Error(`API ${c.label}: ${res.status}`);
        return body.data.changes.length;
      });
      const kb = String(Math.round(page.rows / 1024)).padStart(5);
      console.log(`  ${c.label.padEnd(38)} ${fmt(page.p50).padStart(8)} ${fmt(page.p95)} ${kb}  ${fmt(api.p50).padStart(8)} ${fmt(api.p95)}`);
    }
  } finally {
    await stop(server.child);
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

async function run(name: string, url: string): Promise<void> {
  await migrateDatabase(url);
  const db = createDb(url);
  try {
    console.log(`\n${name}: loading ${COUNT.toLocaleString("en-US")} change requests`);
    const t0 = performance.now();
    const { services, benchUser } = await load(db);
    console.log(`  loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const list = await cases(db, services);
    await queryBench(name, db, list);
    if (HTTP) await httpBench(name, db, url, benchUser, list);
  } finally {
    await db.$disconnect();
  }
}

console.log(`change list benchmark, ${os.cpus().length} cores, Node ${process.version}${HTTP ? "" : " (no HTTP part: run `npx next build` first, or --no-http given)"}`);
const dir = mkdtempSync(path.join(os.tmpdir(), "ops-bench-changes-"));
try {
  await run("SQLite", `file:${path.join(dir, "bench.db")}`);
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
