/**
 * The portal's HTTP server: Next.js behind a thin Node server that owns what Next leaves to the
 * host: migrations before the first request, request ids, access logs, request metrics, static
 * security headers, the IP allow-list, the email outbox's delivery loop, the deployment runner, the
 * health worker (probes, roll-ups), the demo's blue/green backends (OPS_PORTAL_DEMO=1) and a
 * graceful shutdown on SIGTERM.
 *
 *   tsx server.ts          production (needs `next build` first)
 *   tsx server.ts --dev    development with hot reload
 */
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { offerFirstAdminSetup } from "./lib/auth/first-run.ts";
import { setupLinkFor } from "./lib/auth/setup-tokens.ts";
import { authSecret, encryptionKeys } from "./lib/config/secrets.ts";
import { db } from "./lib/db/client.ts";
import { migrateDatabase } from "./lib/db/migrate.ts";
import { databaseUrl, redactUrl } from "./lib/db/url.ts";
import { startDemoBackends, type DemoBackends } from "./lib/demo/backends.ts";
import { startDeploymentLoop } from "./lib/deployments/loop.ts";
import { healthWorkerConfig, startHealthWorker } from "./lib/health/worker.ts";
import { emailEnabled } from "./lib/notifications/mail-config.ts";
import { startOutboxLoop } from "./lib/notifications/outbox.ts";
import { requestIdFrom, REQUEST_ID_HEADER } from "./lib/http/request-id.ts";
import { staticSecurityHeaders } from "./lib/http/security-headers.ts";
import { lifecycle } from "./lib/observability/lifecycle.ts";
import { logger } from "./lib/observability/logger.ts";
import { observeRequest } from "./lib/observability/metrics.ts";
import { loadRouteMatcher } from "./lib/observability/route-pattern.ts";
import { ipGate } from "./lib/security/ip-gate.ts";
import { ipPolicy } from "./lib/security/ip-policy.ts";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";
const secure = (process.env.PORTAL_URL ?? "").startsWith("https://");
// next-auth builds absolute redirect URLs from this; the public URL when known.
process.env.NEXTAUTH_URL ??= process.env.PORTAL_URL ?? `http://localhost:${port}`;
const SHUTDOWN_GRACE_MS = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000);

async function main(): Promise<void> {
  const started = performance.now();
  if (!dev && !existsSync(path.join(".next", "BUILD_ID"))) {
    throw new Error("No production build found: run `npm run build` first (or `npm run demo`, which builds).");
  }
  // Fail at start, not at the first sign-in, when production lacks its keys.
  authSecret();
  encryptionKeys();
  const url = databaseUrl();
  const { applied } = await migrateDatabase(url, (m) => logger.info({ event: "migration" }, m));
  logger.info({ database: redactUrl(url), applied: applied.length }, "database ready");
  const firstRun = await offerFirstAdminSetup(db);
  if (firstRun) {
    // The only way in on an empty database, so it goes where the operator will look: the log.
    logger.warn(
      { setupUrl: setupLinkFor(firstRun.token), expiresAt: firstRun.expiresAt.toISOString() },
      "No users yet: open setupUrl to create the first administrator. It works once; each start logs a new one until then.",
    );
  }
  // Reads the IP rules once now, so a malformed TRUSTED_PROXIES stops the start, not every request.
  await ipPolicy();

  const app = next({ dev, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const routeOf = loadRouteMatcher();
  const headers = staticSecurityHeaders(secure);
  const state = lifecycle();

  const server = createServer((req, res) => {
    const begin = process.hrtime.bigint();
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    // Route handlers read the id from the request headers to put it in their own log lines.
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (state.shuttingDown) res.setHeader("Connection", "close");

    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const route = routeOf(path);
      observeRequest(req.method ?? "GET", route, res.statusCode, seconds);
      if (route !== "/_next/static") {
        logger.info(
          {
            reqId: requestId,
            method: req.method,
            path,
            route,
            status: res.statusCode,
            ms: Math.round(seconds * 1000 * 10) / 10,
          },
          "request",
        );
      }
    });
    // The IP allow-list is enforced here, before Next, and not in Next's proxy (middleware): only
    // this server knows the socket peer, which decides whether X-Forwarded-For may be believed,
    // and only here does every request pass, static files included.
    ipGate(req, res)
      .then((admitted) => (admitted ? handle(req, res) : undefined))
      .catch((err: unknown) => {
        logger.error({ reqId: requestId, err }, "unhandled request error");
        if (!res.headersSent) res.writeHead(500).end("Internal Server Error");
      });
  });
  // Emails queued by notify() go out from here (and promptly via kickOutbox() after actions).
  const outbox = emailEnabled() ? startOutboxLoop() : null;
  if (outbox) logger.info("email delivery loop started");
  // The demo's blue and green stand-in services, which its seeded deployment targets point at
  // (started before the deployment loop, whose recovery may read the live colour back from them).
  let demoBackends: DemoBackends | null = null;
  if (process.env.OPS_PORTAL_DEMO === "1") {
    demoBackends = await startDemoBackends();
    logger.info({ blue: demoBackends.urls.BLUE, green: demoBackends.urls.GREEN }, "demo backends started");
  }
  // Deployments triggered on this instance run here (kickDeployments); ones whose runner died
  // (lease expired) are recovered, at start and every few seconds.
  const deployments = startDeploymentLoop({ graceMs: Math.max(1_000, SHUTDOWN_GRACE_MS - 2_000) });
  // Health check probes, roll-ups and retention, on the instance holding the "health" lease
  // (HEALTH_WORKER=0 keeps this instance out of it).
  const health = healthWorkerConfig().enabled ? startHealthWorker() : null;

  server.keepAliveTimeout = 65_000; // longer than Nginx's default upstream keepalive
  server.listen(port, hostname, () => {
    logger.info(
      { port, hostname, dev, startupMs: Math.round(performance.now() - started) },
      `Ops Portal listening on http://localhost:${port}`,
    );
  });

  const shutdown = (signal: NodeJS.Signals): void => {
    if (state.shuttingDown) return;
    state.shuttingDown = true; // /api/ready now answers 503 so load balancers drain us
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    const force = setTimeout(() => {
      logger.warn("grace period over: closing remaining connections");
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    const outboxStopped = outbox?.stop().catch(() => undefined); // no new sends; the one in flight finishes
    // A running deployment finishes its current step (stopped once the grace is over) and is left,
    // lease released, for the next runner to recover: never RUNNING under a lease nobody renews.
    const deploymentsStopped = deployments.stop().catch((err: unknown) => logger.error({ err }, "stopping the deployment runner failed"));
    // Probes stop at once (in flight ones are dropped), the last results are stored, the lease is released.
    const healthStopped = health?.stop().catch((err: unknown) => logger.error({ err }, "stopping the health worker failed"));
    server.close(async () => {
      clearTimeout(force);
      await healthStopped;
      await outboxStopped;
      await deploymentsStopped;
      await demoBackends?.stop().catch(() => undefined);
      const dbHolder = globalThis as unknown as { opsPortalDb?: { $disconnect(): Promise<void> } };
      await dbHolder.opsPortalDb?.$disconnect().catch(() => undefined);
      logger.info("shutdown complete");
      logger.flush();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((err: unknown) => {
  logger.fatal({ err }, "failed to start");
  logger.flush();
  process.exit(1);
});
