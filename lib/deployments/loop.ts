import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { logger } from "../observability/logger.ts";
import { claimDeployments, runClaim, type Claim } from "./recovery.ts";

/*
 * The process-wide deployment runner hook. server.ts starts the loop (which registers the runner
 * here); trigger and rollback requests call kickDeployments() after their transaction commits.
 * Kept on globalThis because Next may load this module through another module instance than
 * server.ts does. In a process without a loop (unit tests, scripts) a kick does nothing: the
 * deployment waits for a runner, and a test runs it explicitly.
 *
 * The loop (startDeploymentLoop) looks for work at start, every few seconds and on every kick:
 * deployments kicked in this process (lease already ours), deployments nobody holds, and
 * deployments whose runner died (lease expired), each claimed with a compare-and-set
 * (recovery.ts) and run here (runner.ts) while it heartbeats the lease.
 */

type Holder = { runner: (() => void) | null; id: string };
const KEY = Symbol.for("ops-portal.deployments");
const holder = globalThis as unknown as { [KEY]?: Holder };
const state = (holder[KEY] ??= { runner: null, id: `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}` });

/** This process's runner identity, stored as Deployment.leaseOwner. */
export function runnerId(): string {
  return state.id;
}

/** How long a runner's claim on a deployment lasts without a heartbeat (DEPLOY_LEASE_MS, default 10 s). */
export function leaseMs(): number {
  const configured = Number(process.env.DEPLOY_LEASE_MS);
  return Number.isFinite(configured) && configured >= 500 ? configured : 10_000;
}

/** Called by the loop when it starts in this process. */
export function registerDeploymentRunner(runner: () => void): void {
  state.runner = runner;
}

/** Asks this process's runner to look for work now (no-op without a started loop). */
export function kickDeployments(): void {
  state.runner?.();
}

/** How often the loop looks for deployments needing a runner (recovery included). */
const LOOP_EVERY_MS = 3_000;

/**
 * Starts this process's deployment runner (server.ts). stop(): no new work is taken; running
 * deployments finish their current step and are left (lease released) for recovery by the next
 * runner; a step still running after `graceMs` is stopped as well. Never leaves one RUNNING under
 * a live lease nobody heartbeats.
 */
export function startDeploymentLoop(options: { everyMs?: number; graceMs?: number } = {}): { stop(): Promise<void> } {
  const everyMs = options.everyMs ?? LOOP_EVERY_MS;
  const graceMs = options.graceMs ?? 8_000;
  const inFlight = new Map<string, Promise<unknown>>();
  const stopping = new AbortController();
  const halt = new AbortController();
  let ticking: Promise<void> | null = null;
  let again = false;

  const start = (claim: Claim) => {
    const run = runClaim(claim, runnerId(), { stopping: stopping.signal, halt: halt.signal })
      .then((result) => logger.info({ deploymentId: claim.id, ...result }, "deployment run ended"))
      .catch((err: unknown) => logger.error({ err, deploymentId: claim.id }, "deployment run failed"))
      .finally(() => inFlight.delete(claim.id));
    inFlight.set(claim.id, run);
  };

  const tick = (): void => {
    if (stopping.signal.aborted) return;
    if (ticking) {
      again = true; // kicked during a look: look again when it ends
      return;
    }
    ticking = (async () => {
      do {
        again = false;
        try {
          const claims = await claimDeployments({ owner: runnerId(), includeOwn: true, exclude: new Set(inFlight.keys()) });
          for (const claim of claims) start(claim);
        } catch (err) {
          logger.error({ err }, "looking for deployments to run failed");
        }
      } while (again && !stopping.signal.aborted);
    })().finally(() => {
      ticking = null;
    });
  };

  registerDeploymentRunner(tick);
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick(); // recovery on start: whatever a dead runner left behind

  return {
    async stop() {
      if (stopping.signal.aborted) return;
      stopping.abort();
      clearInterval(timer);
      if (state.runner === tick) state.runner = null;
      await ticking;
      const all = Promise.allSettled([...inFlight.values()]);
      let graceTimer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<boolean>((resolve) => {
        graceTimer = setTimeout(() => resolve(true), graceMs);
      });
      const timedOut = await Promise.race([all.then(() => false), graceOver]);
      clearTimeout(graceTimer);
      if (timedOut) {
        halt.abort();
        await all;
      }
    },
  };
}
