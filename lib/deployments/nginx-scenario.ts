import { db, type Colour } from "../db/client.ts";
import { createNginxDriver, renderUpstream, ZNginxDriverConfig } from "./drivers/nginx.ts";
import { steppedUp } from "./gates-testing.ts";
import { requestRollback } from "./rollback.ts";
import { runDeployment } from "./runner.ts";
import { approvedChange, createTestTarget, ctx, makeDeployCast, type DeployCast } from "./testing.ts";
import { loadLoop, startColourServer, startNginx, type ColourServer, type LoadMode, type LoadResult, type TestNginx } from "./testing-nginx.ts";
import { triggerDeployment } from "./trigger.ts";
import { otherColour } from "./types.ts";

/*
 * The deployments "done when" scenario on a real Nginx, shared by the integration test
 * (nginx.integration.test.ts) and the benchmark (bench/deployments.ts): blue and green backends,
 * an Nginx proxying to whichever the driver-managed include file names, a service whose target
 * uses the NGINX driver, and deployments triggered through the real gates and trigger (and
 * rolled back through requestRollback) and run by the real runner while clients loop requests
 * through Nginx.
 */

export type NginxStage = {
  nginx: TestNginx;
  colours: Record<Colour, ColourServer>;
  serviceId: string;
  cast: DeployCast;
  stop: () => Promise<void>;
};

export async function startNginxStage(options: { ports: [number, number]; validationWindowMs?: number }): Promise<NginxStage> {
  const [blue, green] = await Promise.all([startColourServer("blue"), startColourServer("green")]);
  const service = { id: "", name: "checkout", environment: "PRODUCTION" };
  let nginx: TestNginx;
  try {
    nginx = await startNginx({ ports: options.ports, initialUpstream: renderUpstream({ upstreamName: "service_live" }, service, "BLUE", blue.url) });
  } catch (error) {
    await Promise.all([blue.close(), green.close()]);
    throw error;
  }
  const { service: row } = await createTestTarget({
    driver: "NGINX",
    driverConfig: {
      upstreamFile: nginx.upstreamFile,
      upstreamName: nginx.upstreamName,
      testCommand: nginx.testCommand,
      reloadCommand: nginx.reloadCommand,
      proxyUrl: nginx.url,
      colourHeader: "X-Colour",
      timeoutMs: 10_000,
    },
    blueUrl: blue.url,
    greenUrl: green.url,
    liveColour: "BLUE",
    healthSuccesses: 3,
    healthIntervalMs: 50,
    healthTimeoutMs: 1_500,
    validationWindowMs: options.validationWindowMs ?? 1_000,
    validationIntervalMs: 50,
    maxErrorRatePct: 1,
    maxP95LatencyMs: 400,
  });
  const cast = await makeDeployCast();
  return {
    nginx,
    colours: { BLUE: blue, GREEN: green },
    serviceId: row.id,
    cast,
    async stop() {
      await nginx.stop();
      await Promise.all([blue.close(), green.close()]);
    },
  };
}

/** The live colour as the NGINX driver reads it back from the include file. */
export async function liveColour(stage: NginxStage): Promise<Colour | null> {
  const target = await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: stage.serviceId } });
  const driver = createNginxDriver(ZNginxDriverConfig.parse(JSON.parse(target.driverConfig)), target);
  return driver.readLive({ urls: { BLUE: target.blueUrl, GREEN: target.greenUrl }, signal: new AbortController().signal, log: () => undefined, service: { id: "", name: "", environment: "" } });
}

export type Load = Record<LoadMode, LoadResult>;

/** Clients looping GETs through Nginx for the duration of `fn`: fresh connections, keep-alive, keep-alive resending. */
export async function underLoad<T>(stage: NginxStage, fn: () => Promise<T>): Promise<{ value: T; load: Load }> {
  const loops = {
    fresh: loadLoop(`${stage.nginx.url}/`, "fresh"),
    keepAlive: loadLoop(`${stage.nginx.url}/`, "keepAlive"),
    keepAliveRetry: loadLoop(`${stage.nginx.url}/`, "keepAliveRetry"),
  };
  try {
    await new Promise((r) => setTimeout(r, 100));
    const value = await fn();
    await new Promise((r) => setTimeout(r, 100));
    return { value, load: { fresh: await loops.fresh.stop(), keepAlive: await loops.keepAlive.stop(), keepAliveRetry: await loops.keepAliveRetry.stop() } };
  } finally {
    await Promise.all(Object.values(loops).map((l) => l.stop()));
  }
}

export type DeployOutcome = {
  id: string;
  status: string;
  outcome: string;
  from: Colour | null;
  to: Colour;
  /** Trigger call -> traffic on the new colour (deployment.liveAt), null when it never went live. */
  triggerToLiveMs: number | null;
  /** Trigger call -> final status. */
  totalMs: number;
  /** The ROLLBACK step's own figure (switching back and reading back), when there was one. */
  rollbackMs: number | null;
  /** The failed step -> the deployment finished rolled back (detection to traffic back). */
  failureToRolledBackMs: number | null;
  /** How long each step took, e.g. "PREFLIGHT 120". */
  stepMs: Record<string, number>;
};

let keys = 0;

/** Triggers a deployment of a fresh approved change (real gates and trigger) and runs it to the end. */
export async function deploy(stage: NginxStage, version = `1.0.${++keys}`): Promise<DeployOutcome> {
  const { change } = await approvedChange(stage.serviceId, { cast: stage.cast, version });
  const started = Date.now();
  const triggered = await triggerDeployment(steppedUp(stage.cast.releaseManager), { changeId: change.id, idempotencyKey: `nginx-${version}` }, ctx);
  const result = await runDeployment(triggered.id);
  if ("left" in result) throw new Error(`the runner left ${triggered.reference}: ${JSON.stringify(result)}`);
  return outcomeOf(triggered.id, started);
}

/** A manual rollback (step-up, as the release manager) of a SUCCEEDED deployment, run to the end. */
export async function rollBack(stage: NginxStage, deploymentId: string): Promise<DeployOutcome & { requestToRolledBackMs: number }> {
  const started = Date.now();
  await requestRollback(steppedUp(stage.cast.releaseManager), { deploymentId, reason: "Rolling back to check the rollback path." }, ctx);
  const result = await runDeployment(deploymentId);
  if ("left" in result) throw new Error(`the runner left the rollback: ${JSON.stringify(result)}`);
  const requestToRolledBackMs = Date.now() - started;
  return { ...(await outcomeOf(deploymentId, started)), requestToRolledBackMs };
}

async function outcomeOf(id: string, started: number): Promise<DeployOutcome> {
  const d = await db.deployment.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { position: "asc" } } } });
  const rollback = [...d.steps].reverse().find((s) => s.kind === "ROLLBACK");
  const failed = d.steps.find((s) => s.status === "FAILED" && s.kind !== "ROLLBACK");
  const rollbackDetail = rollback ? (JSON.parse(rollback.detail) as { rollbackMs?: number }) : {};
  return {
    id,
    status: d.status,
    outcome: d.outcome,
    from: d.fromColour,
    to: d.toColour,
    triggerToLiveMs: d.liveAt ? d.liveAt.getTime() - started : null,
    totalMs: (d.finishedAt?.getTime() ?? Date.now()) - started,
    rollbackMs: rollbackDetail.rollbackMs ?? null,
    stepMs: Object.fromEntries(d.steps.filter((s) => s.startedAt && s.finishedAt).map((s) => [s.kind, s.finishedAt!.getTime() - s.startedAt!.getTime()])),
    failureToRolledBackMs: failed?.finishedAt && d.finishedAt && d.status === "ROLLED_BACK" ? d.finishedAt.getTime() - failed.finishedAt.getTime() : null,
  };
}

/** Resets both backends to healthy and fast. */
export function healthy(stage: NginxStage): void {
  for (const c of Object.values(stage.colours)) {
    c.setStatus(200, true);
    c.setDelay(0);
    c.slowOnceLive(0);
    c.resetHits();
  }
}

/** The colour that takes no traffic now (the next deployment's target). */
export async function idleColour(stage: NginxStage): Promise<Colour> {
  const live = await liveColour(stage);
  return live ? otherColour(live) : "BLUE";
}
