/**
 * Startup time: spawn of `tsx server.ts` on a built app -> first 200 from /api/ready (migrations
 * checked, Next.js prepared, database answering). First run on a new database (migrations
 * applied), then warm restarts on the same database.
 *
 *   npm run build && npm run bench:startup [-- runs]
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { quantile, startServer, stop } from "./lib.ts";

const runs = Number(process.argv[2] ?? 7);
const port = 3391;
const dir = mkdtempSync(path.join(os.tmpdir(), "ops-bench-startup-"));

const first = await startServer(port, dir);
await stop(first.child);
const warm: number[] = [];
for (let i = 0; i < runs; i++) {
  const s = await startServer(port, dir);
  warm.push(s.readyMs);
  await stop(s.child);
}
warm.sort((a, b) => a - b);
const fmt = (n: number) => `${Math.round(n)} ms`;
console.log(`startup to ready, ${os.cpus().length} cores, Node ${process.version}`);
console.log(`  new database (migrations applied): ${fmt(first.readyMs)}`);
console.log(
  `  restart x${runs}: min ${fmt(warm[0]!)}, median ${fmt(quantile(warm, 0.5))}, max ${fmt(warm[warm.length - 1]!)}`,
);
