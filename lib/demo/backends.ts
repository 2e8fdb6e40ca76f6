import { mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import type { Colour } from "../db/client.ts";

/*
 * The demo's two stand-in application servers, blue and green, so a fresh `npm run demo` (and the
 * e2e server) can really deploy: server.ts starts them when OPS_PORTAL_DEMO=1. Each answers
 * `/health` with 200 and JSON {colour, version} (503 when its version names itself "unhealthy", to
 * show a release that never gets traffic) and any other path with a short page and an `X-Colour`
 * header. The version a colour runs is a file in the state directory that the demo deploy command
 * (scripts/demo-target.mjs) writes, read on every request, so a deployment is visible at once and
 * survives restarts. Which colour is live per service is also a file there, written by the switch
 * command and printed by the status command: the target, not the portal's database, is the truth.
 */

export type DemoBackendConfig = {
  ports: Record<Colour, number>;
  /** Holds `<colour>.version` and `live-<service>-<environment>` files. */
  stateDir: string;
};

export const DEMO_INITIAL_VERSION = "1.0.0";

/**
 * Ports from DEMO_BACKEND_PORTS ("blue,green"), else the portal's port + 1101 and + 1102
 * (3000 -> 4101, 4102), which clash neither with the portal nor with a second portal on the next port.
 * The state directory is DATA_DIR/demo-backends/<blue>-<green>, so two portals never share it.
 */
export function demoBackendConfig(env: Record<string, string | undefined> = process.env): DemoBackendConfig {
  const configured = env.DEMO_BACKEND_PORTS?.trim();
  let blue: number;
  let green: number;
  if (configured) {
    const parts = configured.split(",").map((p) => Number(p.trim()));
    if (parts.length !== 2 || !parts.every((p) => Number.isInteger(p) && p > 0 && p < 65536) || parts[0] === parts[1]) {
      throw new Error(`DEMO_BACKEND_PORTS must be two different ports, "blue,green" (e.g. 4101,4102); got "${configured}"`);
    }
    [blue, green] = parts as [number, number];
  } else {
    const portal = Number(env.PORT ?? 3000);
    blue = portal + 1101;
    green = portal + 1102;
  }
  const dataDir = env.DATA_DIR?.trim() || path.join(/*turbopackIgnore: true*/ process.cwd(), "data");
  return { ports: { BLUE: blue, GREEN: green }, stateDir: path.resolve(dataDir, "demo-backends", `${blue}-${green}`) };
}

export function demoBackendUrl(config: DemoBackendConfig, colour: Colour): string {
  return `http://127.0.0.1:${config.ports[colour]}`;
}

/** The version a colour runs now (the file the deploy command writes), or the initial one. */
export function demoBackendVersion(stateDir: string, colour: Colour): string {
  try {
    return readFileSync(path.join(stateDir, `${colour.toLowerCase()}.version`), "utf8").trim() || DEMO_INITIAL_VERSION;
  } catch {
    return DEMO_INITIAL_VERSION;
  }
}

export type DemoBackends = { urls: Record<Colour, string>; stop(): Promise<void> };

function backend(colour: Colour, stateDir: string): Server {
  const name = colour.toLowerCase();
  const server = createServer((req, res) => {
    const version = demoBackendVersion(stateDir, colour);
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    res.setHeader("X-Colour", name);
    res.setHeader("X-Version", version);
    res.setHeader("Cache-Control", "no-store");
    // Probes use a fresh connection each; the demo keeps none open so shutdown is immediate.
    res.setHeader("Connection", "close");
    if (pathname === "/health" || pathname.endsWith("/health")) {
      const healthy = !/unhealthy/i.test(version);
      res.writeHead(healthy ? 200 : 503, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ colour: name, version, ...(healthy ? {} : { error: "this build fails its health check (demo)" }) }));
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(`Ops Portal demo backend: ${name}, version ${version}\n`);
  });
  return server;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Starts blue and green on loopback (port 0: any free port, see `urls`); rejects (having closed whichever started) when a port is taken. */
export async function startDemoBackends(config: DemoBackendConfig = demoBackendConfig()): Promise<DemoBackends> {
  mkdirSync(config.stateDir, { recursive: true });
  const servers: Server[] = [];
  const urls = { BLUE: "", GREEN: "" };
  const stop = () =>
    Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    ).then(() => undefined);
  try {
    for (const colour of ["BLUE", "GREEN"] as const) {
      const server = backend(colour, config.stateDir);
      await listen(server, config.ports[colour]);
      servers.push(server);
      const address = server.address();
      urls[colour] = `http://127.0.0.1:${typeof address === "object" && address ? address.port : config.ports[colour]}`;
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { urls, stop };
}
