import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/*
 * Test and benchmark helpers for the NGINX driver: a real Nginx (the Debian binary) in a
 * throw-away prefix on a loopback port, and two small HTTP servers as the blue and green colours.
 * Used by vitest files and bench/deployments.ts only.
 */

export const NGINX_BIN = process.env.NGINX_BIN ?? "/usr/sbin/nginx";

/**
 * Why the Nginx tests cannot run here, or null when they can. On CI (CI=true, which .ci/run sets
 * and where it installs nginx) a missing nginx is an error, never a silent skip.
 */
export function nginxMissingReason(): string | null {
  if (existsSync(NGINX_BIN)) return null;
  const reason = `nginx is not installed (${NGINX_BIN} not found; apt-get install nginx), so the real-Nginx tests are skipped`;
  if (process.env.CI === "true") throw new Error(`${reason}: on CI that is a failure (.ci/run installs nginx)`);
  return reason;
}

export type TestNginx = {
  port: number;
  url: string;
  prefix: string;
  upstreamFile: string;
  upstreamName: string;
  /** Commands for the driver's testCommand / reloadCommand, pointed at this instance. */
  testCommand: string;
  reloadCommand: string;
  errorLog: () => string;
  stop: () => Promise<void>;
};

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The first free loopback port in [from, to]. */
export async function freePort(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) if (await portFree(port)) return port;
  throw new Error(`no free port in ${from}-${to}`);
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Starts Nginx (master in the foreground, a child of this process) listening on 127.0.0.1 at the
 * first free port in `ports`, proxying to `upstreamName` declared by the (driver-managed)
 * include file. `initialUpstream` is written first when given (Nginx refuses to start without the
 * upstream it proxies to).
 */
export async function startNginx(opts: { ports: [number, number]; upstreamName?: string; initialUpstream: string }): Promise<TestNginx> {
  const prefix = mkdtempSync(path.join(os.tmpdir(), "ops-nginx-"));
  const upstreamName = opts.upstreamName ?? "service_live";
  const confDir = path.join(prefix, "conf.d");
  mkdirSync(confDir);
  mkdirSync(path.join(prefix, "tmp"));
  const upstreamFile = path.join(confDir, `${upstreamName}-upstream.conf`);
  writeFileSync(upstreamFile, opts.initialUpstream);
  const conf = path.join(prefix, "nginx.conf");

  let child: ChildProcess | null = null;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort(opts.ports[0], opts.ports[1]);
    const runningAsRoot = process.getuid?.() === 0;
    writeFileSync(
      conf,
      [
        ...(runningAsRoot ? ["user root;"] : []),
        "daemon off;",
        "master_process on;",
        "worker_processes 1;",
        `pid ${prefix}/nginx.pid;`,
        `error_log ${prefix}/error.log notice;`,
        "events { worker_connections 512; }",
        "http {",
        `  access_log ${prefix}/access.log;`,
        `  client_body_temp_path ${prefix}/tmp/body;`,
        `  proxy_temp_path ${prefix}/tmp/proxy;`,
        `  fastcgi_temp_path ${prefix}/tmp/fastcgi;`,
        `  uwsgi_temp_path ${prefix}/tmp/uwsgi;`,
        `  scgi_temp_path ${prefix}/tmp/scgi;`,
        `  include ${upstreamFile};`,
        "  server {",
        `    listen 127.0.0.1:${port};`,
        "    keepalive_timeout 30s;",
        "    location / {",
        `      proxy_pass http://${upstreamName};`,
        "      proxy_connect_timeout 2s;",
        "      proxy_set_header X-Via-Nginx 1;",
        "    }",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    const started = spawn(NGINX_BIN, ["-p", prefix, "-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    started.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => started.once("exit", (code) => r(code)));
    const up = await Promise.race([
      waitFor("nginx to listen", () => accepting(port)).then(() => true),
      exited.then(() => false),
    ]).catch(() => false);
    if (up) child = started;
    else {
      started.kill("SIGKILL");
      if (!/Address already in use/.test(stderr)) {
        rmSync(prefix, { recursive: true, force: true });
        throw new Error(`nginx did not start: ${stderr.trim()}`);
      }
    }
  }
  if (!child) throw new Error("nginx did not start: no free port");

  const master = child;
  const bin = `${NGINX_BIN} -p ${prefix} -c ${conf}`;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    prefix,
    upstreamFile,
    upstreamName,
    testCommand: `${bin} -t -q`,
    reloadCommand: `${bin} -s reload`,
    errorLog: () => (existsSync(path.join(prefix, "error.log")) ? readFileSync(path.join(prefix, "error.log"), "utf8") : ""),
    async stop() {
      if (master.exitCode === null && master.signalCode === null) {
        const exited = new Promise((r) => master.once("exit", r));
        spawnSync(NGINX_BIN, ["-p", prefix, "-c", conf, "-s", "quit"]);
        const timer = setTimeout(() => master.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** A colour backend: answers every path with 200 and `X-Colour: <colour>` unless told otherwise. */
export type ColourServer = {
  colour: "blue" | "green";
  url: string;
  port: number;
  /** Requests this server answered (any path). */
  hits: () => number;
  /** Requests that came through Nginx (the test nginx.conf marks them with X-Via-Nginx). */
  viaNginx: () => number;
  /** Once a request has come through Nginx (the colour took traffic), answer everything `ms` slower. */
  slowOnceLive: (ms: number) => void;
  /** Health path answers this status (default 200); other paths too when `all` is set. */
  setStatus: (status: number, all?: boolean) => void;
  /** Adds a delay to every answer (to fail latency validation). */
  setDelay: (ms: number) => void;
  resetHits: () => void;
  close: () => Promise<void>;
};

export async function startColourServer(colour: "blue" | "green", healthPath = "/health", ports?: [number, number]): Promise<ColourServer> {
  let hits = 0;
  let via = 0;
  let slowWhenLive = 0;
  let healthStatus = 200;
  let allStatus = 200;
  let delay = 0;
  const server = http.createServer((req, res) => {
    hits += 1;
    if (req.headers["x-via-nginx"]) {
      via += 1;
      if (slowWhenLive > 0) {
        delay = slowWhenLive;
        slowWhenLive = 0;
      }
    }
    const reply = () => {
      const status = req.url?.startsWith(healthPath) ? healthStatus : allStatus;
      res.writeHead(status, { "content-type": "text/plain", "x-colour": colour });
      res.end(`${colour}\n`);
    };
    if (delay > 0) setTimeout(reply, delay);
    else reply();
  });
  server.keepAliveTimeout = 5_000;
  const port = ports ? await freePort(ports[0], ports[1]) : 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actual = (server.address() as net.AddressInfo).port;
  return {
    colour,
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    hits: () => hits,
    viaNginx: () => via,
    slowOnceLive: (ms) => (slowWhenLive = ms),
    setStatus: (status, all = false) => {
      healthStatus = status;
      if (all) allStatus = status;
    },
    setDelay: (ms) => (delay = ms),
    resetHits: () => {
      hits = 0;
      via = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type LoadResult = {
  total: number;
  failed: number;
  byColour: Record<string, number>;
  errors: string[];
  /** Failures that were an answer with an error status (502 from Nginx, 5xx from a backend). */
  httpErrors: number;
  /** Failures that were a reused keep-alive connection closed under the request (never reached a backend). */
  reusedSocketResets: number;
  /** Requests sent a second time after such a reset (keepAliveRetry only). */
  retried: number;
};

export type LoadMode = "fresh" | "keepAlive" | "keepAliveRetry";

/**
 * Loops GET requests through `url` until stop() is called. `fresh` opens a new connection per
 * request; `keepAlive` reuses connections (one agent, `concurrency` sockets) and counts every
 * error; `keepAliveRetry` does the same but, like browsers and RFC 9112 §9.3.1 clients, sends an
 * idempotent request again when a reused idle connection was closed under it (Node's documented
 * `req.reusedSocket` pattern; at most once per pooled connection). A failure is a network error or
 * a non-2xx answer.
 */
export function loadLoop(url: string, mode: LoadMode, concurrency = 4) {
  const agent = mode === "fresh" ? undefined : new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const result: LoadResult = { total: 0, failed: 0, byColour: {}, errors: [], httpErrors: 0, reusedSocketResets: 0, retried: 0 };
  let running = true;
  const fail = (message: string) => {
    result.failed += 1;
    if (result.errors.length < 10) result.errors.push(message);
  };
  const attempt = (resends: number) =>
    new Promise<void>((resolve) => {
      const req = http.get(url, { agent: agent ?? false, timeout: 5_000 }, (res) => {
        const colour = String(res.headers["x-colour"] ?? "none");
        res.resume();
        res.on("end", () => {
          result.total += 1;
          result.byColour[colour] = (result.byColour[colour] ?? 0) + 1;
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            result.httpErrors += 1;
            fail(`HTTP ${status} from ${colour}`);
          }
          resolve();
        });
        res.on("error", (e) => {
          result.total += 1;
          fail(e.message);
          resolve();
        });
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (e: NodeJS.ErrnoException) => {
        const reset = req.reusedSocket && (e.code === "ECONNRESET" || e.message === "socket hang up");
        if (reset && resends > 0) {
          // Another pooled idle connection may be closing too: resend while that is the reason.
          result.retried += 1;
          return void attempt(resends - 1).then(resolve);
        }
        result.total += 1;
        if (reset) result.reusedSocketResets += 1;
        fail(`${e.message}${reset ? " (reused keep-alive connection)" : ""}`);
        resolve();
      });
    });
  const workers = Array.from({ length: concurrency }, async () => {
    while (running) await attempt(mode === "keepAliveRetry" ? concurrency + 1 : 0);
  });
  return {
    result,
    async stop(): Promise<LoadResult> {
      running = false;
      await Promise.all(workers);
      agent?.destroy();
      return result;
    },
  };
}
