/**
 * Blue-green deployments through a real Nginx (/usr/sbin/nginx), the integration test's scenario
 * repeated: N good releases (trigger -> live -> succeeded) and N manual rollbacks, each while
 * clients loop GETs through Nginx (fresh connections, keep-alive, keep-alive resending after a
 * closed idle connection), plus a few releases that fail monitoring validation and roll back on
 * their own. Real gates, trigger, requestRollback, runner and NGINX driver, on a scratch SQLite database (or a
 * scratch MariaDB database when TEST_DATABASE_URL=mysql://...). Prints p50/p95 and the failed
 * request counts.
 *
 *   npm run bench:deployments [-- runs]     (default 10; ports 4340-4359, NGINX_BIN to override)
 */
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "../lib/testing/test-database.ts";
import { quantile } from "./lib.ts";

const RUNS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10);
const VALIDATION_FAILURES = Math.max(1, Math.min(3, Math.floor(RUNS / 3)));

const { nginxMissingReason } = await import("../lib/deployments/testing-nginx.ts");
const missing = nginxMissingReason();
if (missing) {
  console.error(`bench:deployments needs nginx: ${missing}`);
  process.exit(1);
}

process.env.LOG_LEVEL ??= "silent";
process.env.DATA_DIR ??= path.join(os.tmpdir(), "ops-portal-bench-keys");
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
// After DATABASE_URL: these modules open the database on first use.
const scenario = await import("../lib/deployments/nginx-scenario.ts");
const { db } = await import("../lib/db/client.ts");

type Row = { name: string; values: number[]; unit: string };
const rows: Row[] = [];
const row = (name: string, unit = "ms") => {
  const r: Row = { name, values: [], unit };
  rows.push(r);
  return r;
};
const triggerToLive = row("trigger -> live (traffic on the new colour)");
const triggerToDone = row("trigger -> succeeded (incl. validation window)");
const switchStep = row("switch step (write, nginx -t, reload, verify, read back)");
const rollbackWall = row("manual rollback: request -> rolled back");
const rollbackSwitch = row("manual rollback: switch back + read back");
const autoRollback = row("validation failed -> rolled back (automatic)");
const failed = { fresh: 0, freshTotal: 0, keepAlive: 0, keepAliveTotal: 0, keepAliveClosed: 0, retry: 0, retryTotal: 0, resent: 0, errorAnswers: 0 };

const stage = await scenario.startNginxStage({ ports: [4340, 4359] });
const started = Date.now();
try {
  const count = (load: Awaited<ReturnType<typeof scenario.underLoad>>["load"]) => {
    failed.fresh += load.fresh.failed;
    failed.freshTotal += load.fresh.total;
    failed.keepAlive += load.keepAlive.failed;
    failed.keepAliveTotal += load.keepAlive.total;
    failed.keepAliveClosed += load.keepAlive.reusedSocketResets;
    failed.retry += load.keepAliveRetry.failed;
    failed.retryTotal += load.keepAliveRetry.total;
    failed.resent += load.keepAliveRetry.retried;
    failed.errorAnswers += load.fresh.httpErrors + load.keepAlive.httpErrors + load.keepAliveRetry.httpErrors;
  };
  for (let i = 0; i < RUNS; i++) {
    scenario.healthy(stage);
    const { value: d, load } = await scenario.underLoad(stage, () => scenario.deploy(stage));
    if (d.status !== "SUCCEEDED") throw new Error(`run ${i + 1}: ${d.status}: ${d.outcome}`);
    count(load);
    triggerToLive.values.push(d.triggerToLiveMs ?? NaN);
    triggerToDone.values.push(d.totalMs);
    switchStep.values.push(d.stepMs.SWITCH ?? NaN);
    const { value: r, load: rollbackLoad } = await scenario.underLoad(stage, () => scenario.rollBack(stage, d.id));
    if (r.status !== "ROLLED_BACK") throw new Error(`rollback ${i + 1}: ${r.status}: ${r.outcome}`);
    count(rollbackLoad);
    rollbackWall.values.push(r.requestToRolledBackMs);
    rollbackSwitch.values.push(r.rollbackMs ?? NaN);
    process.stdout.write(".");
  }
  for (let i = 0; i < VALIDATION_FAILURES; i++) {
    scenario.healthy(stage);
    stage.colours[await scenario.idleColour(stage)].slowOnceLive(650);
    const { value: d } = await scenario.underLoad(stage, () => scenario.deploy(stage));
    if (d.status !== "ROLLED_BACK") throw new Error(`validation failure ${i + 1}: ${d.status}: ${d.outcome}`);
    autoRollback.values.push(d.failureToRolledBackMs ?? NaN);
    process.stdout.write("x");
  }
} finally {
  await stage.stop();
  await db.$disconnect();
  await database.drop();
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (n: number) => (Number.isFinite(n) ? String(Math.round(n)) : "-").padStart(7);
console.log(`\n\nDeployments through a real Nginx: ${RUNS} releases + ${RUNS} manual rollbacks + ${VALIDATION_FAILURES} validation failures, ${database.provider}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
console.log(`${pad("", 62)}${"n".padStart(4)}${"p50".padStart(7)}${"p95".padStart(7)}${"max".padStart(7)}`);
for (const r of rows) {
  const sorted = r.values.filter(Number.isFinite).sort((a, b) => a - b);
  console.log(`${pad(`${r.name} (${r.unit})`, 62)}${String(sorted.length).padStart(4)}${num(quantile(sorted, 0.5))}${num(quantile(sorted, 0.95))}${num(sorted.at(-1) ?? NaN)}`);
}
console.log(`\nRequests through Nginx during the switches and rollbacks (4 clients each):`);
console.log(`  fresh connection per request:        ${failed.fresh} failed of ${failed.freshTotal}`);
console.log(`  keep-alive, never resending:         ${failed.keepAlive} failed of ${failed.keepAliveTotal} (${failed.keepAliveClosed} idle connections closed by a reload)`);
console.log(`  keep-alive, resending on such close: ${failed.retry} failed of ${failed.retryTotal} (${failed.resent} resent)`);
console.log(`  error answers (5xx) among all of them: ${failed.errorAnswers}`);
