import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type SpawnedServer = { url: string; process: ChildProcess; output: () => string; exited: Promise<number | null> };

/** A second portal process on its own port and database, for tests that must stop or reconfigure it. */
export async function spawnServer(port: number, env: Record<string, string> = {}): Promise<SpawnedServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ops-portal-e2e-"));
  let output = "";
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      OPS_PORTAL_DEMO: "1",
      DATA_DIR: dir,
      DATABASE_URL: `file:${path.join(dir, "e2e-spawned.db")}`,
      PORT: String(port),
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/ready`)).ok) return { url, process: child, output: () => output, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error(`server on ${port} did not become ready:\n${output}`);
}
