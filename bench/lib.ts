import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type Started = { child: ChildProcess; readyMs: number; url: string };

/** Starts the production server (needs `npm run build`) and times spawn -> first 200 from /api/ready. */
export async function startServer(port: number, dataDir = mkdtempSync(path.join(os.tmpdir(), "ops-bench-"))): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      OPS_PORTAL_DEMO: "1",
      DATA_DIR: dataDir,
      DATABASE_URL: `file:${path.join(dataDir, "bench.db")}`,
      PORT: String(port),
      LOG_LEVEL: "warn",
    },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      const res = await fetch(`${url}/api/ready`);
      if (res.ok) return { child, readyMs: performance.now() - t0, url };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error("server exited before becoming ready");
    if (performance.now() - t0 > 60_000) throw new Error("server not ready after 60 s");
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

export function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i] ?? NaN;
}
