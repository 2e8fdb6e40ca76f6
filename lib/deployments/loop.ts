import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/*
 * The process-wide deployment runner hook. server.ts starts the loop (which registers the runner
 * here); trigger and rollback requests call kickDeployments() after their transaction commits.
 * Kept on globalThis because Next may load this module through another module instance than
 * server.ts does. In a process without a loop (unit tests, scripts) a kick does nothing: the
 * deployment waits for a runner, and a test runs it explicitly.
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
