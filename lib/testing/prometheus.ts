import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

/*
 * Test helpers: a real Prometheus (Debian's /usr/bin/prometheus) on a free loopback port with its
 * own config and TSDB in a temp dir, a node exporter when installed, and small local HTTP servers.
 * Used by the vitest integration test; the e2e spec has its own copy of the few lines it needs.
 */

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus";
export const NODE_EXPORTER_BIN = process.env.NODE_EXPORTER_BIN ?? "/usr/bin/prometheus-node-exporter";

/** A free loopback port: bind port 0, read it back, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type ScrapeJob = { name: string; target: string; path?: string; bearerToken?: string };

export type RunningPrometheus = { url: string; dir: string; stop(): Promise<void>; logs(): string };

/** Starts Prometheus scraping `jobs` every second; resolves once /-/ready answers. */
export async function startPrometheus(jobs: readonly ScrapeJob[], scrapeInterval = "1s"): Promise<RunningPrometheus> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ops-prom-"));
  const port = await freePort();
  const config = [
    "global:",
    `  scrape_interval: ${scrapeInterval}`,
    `  evaluation_interval: ${scrapeInterval}`,
    "scrape_configs:",
    ...jobs.flatMap((j) => [
      `  - job_name: ${JSON.stringify(j.name)}`,
      `    metrics_path: ${JSON.stringify(j.path ?? "/metrics")}`,
      `    scrape_timeout: ${scrapeInterval}`,
      ...(j.bearerToken ? ["    authorization:", `      credentials: ${JSON.stringify(j.bearerToken)}`] : []),
      "    static_configs:",
      `      - targets: [${JSON.stringify(j.target)}]`,
    ]),
  ].join("\n");
  writeFileSync(path.join(dir, "prometheus.yml"), `${config}\n`);
  let output = "";
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--storage.tsdb.retention.time=1d",
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr?.on("data", (b: Buffer) => (output += b.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${output}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, dir, stop, logs: () => output };
}

/** Starts the node exporter on a free loopback port, or returns null when it is not installed. */
export async function startNodeExporter(): Promise<{ target: string; stop(): Promise<void> } | null> {
  if (!existsSync(NODE_EXPORTER_BIN)) return null;
  const port = await freePort();
  const child = spawn(NODE_EXPORTER_BIN, [`--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"], { stdio: "ignore" });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/metrics`)).ok) break;
    } catch {
      // starting
    }
    if (child.exitCode !== null || Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    target: `127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      }
    },
  };
}

/** Polls an instant query until it returns at least `min` series (Prometheus has scraped). */
export async function waitForSeries(promUrl: string, query: string, min = 1, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await res.json()) as { data?: { result?: unknown[] } };
    if ((body.data?.result?.length ?? 0) >= min) return;
    if (Date.now() > deadline) throw new Error(`no data for ${query} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
