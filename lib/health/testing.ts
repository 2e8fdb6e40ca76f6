import http from "node:http";
import type net from "node:net";
import { db } from "../db/client.ts";

/*
 * Test fixtures for the probe engine: a target HTTP server whose behaviour per check can be
 * switched (up, down, slow) and which records arrival times, and check rows made directly.
 */

export type TargetMode = "up" | "down" | "slow";

export type Target = {
  url: string;
  set(path: string, mode: TargetMode): void;
  arrivals(path: string): number[];
  close(): Promise<void>;
};

export async function startTarget(slowMs = 2_000): Promise<Target> {
  const modes = new Map<string, TargetMode>();
  const seen = new Map<string, number[]>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    let list = seen.get(path);
    if (!list) seen.set(path, (list = []));
    list.push(Date.now());
    const mode = modes.get(path) ?? "up";
    if (mode === "down") return res.writeHead(503).end("down");
    if (mode === "slow") return void setTimeout(() => res.end("ok, slowly"), slowMs).unref();
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (path, mode) => modes.set(path, mode),
    arrivals: (path) => [...(seen.get(path) ?? [])],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let serviceSeq = 0;

export async function makeHealthService(name = `svc-${process.pid}-${++serviceSeq}`) {
  return db.service.create({ data: { name, environment: "PRODUCTION", ownerTeam: "sre", tier: 2 } });
}

export type CheckInput = {
  serviceId: string;
  name: string;
  kind?: "HTTP" | "TCP";
  url?: string;
  host?: string;
  port?: number;
  intervalSeconds?: number;
  timeoutMs?: number;
  retries?: number;
  paused?: boolean;
  keyword?: string;
};

export async function makeCheck(input: CheckInput) {
  return db.healthCheck.create({
    data: {
      serviceId: input.serviceId,
      name: input.name,
      kind: input.kind ?? "HTTP",
      url: input.url ?? "",
      host: input.host ?? "",
      port: input.port ?? 0,
      intervalSeconds: input.intervalSeconds ?? 1,
      timeoutMs: input.timeoutMs ?? 500,
      retries: input.retries ?? 0,
      paused: input.paused ?? false,
      keyword: input.keyword ?? "",
    },
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
