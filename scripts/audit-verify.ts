/**
 * `npm run audit:verify`: recomputes every hash of the audit chain in DATABASE_URL.
 * Prints "intact: N events" and exits 0, or the first broken sequence number and why, and exits 1.
 * Progress goes to stderr, so stdout stays one line a script can read.
 */
import { existsSync } from "node:fs";
import { verifyAuditChain } from "../lib/audit/verify.ts";
import { createDb } from "../lib/db/client.ts";
import { databaseUrl, redactUrl } from "../lib/db/url.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

const url = databaseUrl();
const db = createDb(url);
const started = performance.now();
const interactive = process.stderr.isTTY;
let lastReport = 0;
try {
  const result = await verifyAuditChain(db, {
    onProgress: (checked) => {
      const now = performance.now();
      if (now - lastReport < 1_000) return;
      lastReport = now;
      const line = `verifying ${redactUrl(url)}: ${checked.toLocaleString("en-US")} events checked`;
      process.stderr.write(interactive ? `\r${line}` : `${line}\n`);
    },
  });
  if (interactive && lastReport) process.stderr.write("\n");
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.intact) {
    console.log(`intact: ${result.events} events (${seconds} s)`);
  } else {
    console.log(`broken at seq ${result.brokenAt}: ${result.reason} (${result.events} events before it are intact)`);
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`audit:verify failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
} finally {
  await db.$disconnect();
}
