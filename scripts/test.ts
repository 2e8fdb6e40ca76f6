/**
 * `npm test`: the whole suite, in the order that fails fastest.
 *   typecheck -> lint -> vitest (unit + integration on SQLite; on MariaDB too when
 *   TEST_DATABASE_URL=mysql://... is set) -> production build -> Playwright end to end.
 * Stops at the first failing stage and says which.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

const bin = (name: string) => path.join("node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

const stages: { name: string; cmd: string; args: string[]; env?: NodeJS.ProcessEnv }[] = [
  { name: "typecheck", cmd: bin("tsc"), args: ["--noEmit", "-p", "."] },
  { name: "lint", cmd: bin("eslint"), args: ["--max-warnings=0", "."] },
  { name: "unit and integration tests (vitest)", cmd: bin("vitest"), args: ["run"] },
  { name: "production build", cmd: bin("next"), args: ["build"] },
  { name: "end-to-end tests (Playwright)", cmd: bin("playwright"), args: ["test"] },
];

const only = process.argv.slice(2);
for (const stage of stages) {
  if (only.length && !only.some((o) => stage.name.startsWith(o))) continue;
  const started = Date.now();
  console.log(`\n=== ${stage.name} ===`);
  const result = spawnSync(stage.cmd, stage.args, { stdio: "inherit", env: { ...env, ...stage.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${stage.name} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${stage.name} (${seconds}s)`);
}
console.log("\nAll test stages passed.");
