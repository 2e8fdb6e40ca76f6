import { db as defaultDb, type Db } from "../db/client.ts";
import { logger } from "../observability/logger.ts";
import { acquireLease, leaseHolderId, releaseLease, renewLease } from "../worker/lease.ts";
import { startHealthEngine, type HealthEngine } from "./engine.ts";
import { pruneBusinessMetrics } from "../metrics/business.ts";
import { applyRetention, retentionConfig } from "./retention.ts";
import { rollUp } from "./rollup.ts";
import { registerHealthScheduler } from "./scheduler-hook.ts";

/*
 * The health worker server.ts starts: while this instance holds the "health" WorkerLease it runs
 * the probe scheduler (engine.ts) and, every `maintenanceEveryMs`, the roll-ups, summaries and
 * retention. Instances without the lease try to take it every third of its TTL; the holder renews
 * it as often, and stops probing when a renewal fails (another instance took over after we
 * stalled). stop() (SIGTERM) stops the probes, stores the last results and releases the lease so
 * another instance takes over at once. HEALTH_WORKER=0 keeps server.ts from starting it.
 */

export const HEALTH_LEASE = "health";
const METRICS_PRUNE_EVERY_MS = 3_600_000;

export type HealthWorkerOptions = {
  db?: Db;
  concurrency?: number;
  threaded?: boolean;
  leaseMs?: number;
  reloadMs?: number;
  flushMs?: number;
  maintenanceEveryMs?: number;
  holder?: string;
};

export type HealthWorker = {
  stop(): Promise<void>;
  /** Whether this instance runs the probes now. */
  active(): boolean;
  engine(): HealthEngine | null;
  /** Runs roll-ups, summaries and retention now (tests, bench). */
  maintain(now?: Date): Promise<void>;
};

const num = (v: string | undefined, fallback: number, min: number) => {
  const n = Number(v);
  return v !== undefined && v !== "" && Number.isFinite(n) && n >= min ? n : fallback;
};

/** The knobs, from the environment (documented in docs/health-checks.md and the README). */
export function healthWorkerConfig(env: NodeJS.ProcessEnv = process.env) {
  return {
    enabled: env.HEALTH_WORKER !== "0",
    concurrency: num(env.HEALTH_PROBE_CONCURRENCY, 256, 1),
    threaded: env.HEALTH_PROBE_THREAD !== "0",
    leaseMs: num(env.HEALTH_LEASE_MS, 30_000, 500),
    reloadMs: num(env.HEALTH_RELOAD_MS, 3_000, 100),
    flushMs: num(env.HEALTH_FLUSH_MS, 1_000, 50),
    maintenanceEveryMs: num(env.HEALTH_ROLLUP_EVERY_MS, 60_000, 100),
  };
}

export function startHealthWorker(options: HealthWorkerOptions = {}): HealthWorker {
  const config = { ...healthWorkerConfig(), ...stripUndefined(options) };
  const db = options.db ?? defaultDb;
  const holder = options.holder ?? leaseHolderId("health:");
  let engine: HealthEngine | null = null;
  let starting: Promise<void> | null = null;
  let stopped = false;
  let held = false;
  let maintaining: Promise<void> | null = null;

  const becomeActive = async () => {
    engine = await startHealthEngine({ db, concurrency: config.concurrency, threaded: config.threaded, reloadMs: config.reloadMs, flushMs: config.flushMs });
    registerHealthScheduler(() => void engine?.reload());
    logger.info({ event: "health.lease", holder }, "health worker holds the lease: probing");
  };
  const becomeIdle = async (why: string) => {
    registerHealthScheduler(null);
    const e = engine;
    engine = null;
    await e?.stop();
    logger.warn({ event: "health.lease", holder, why }, "health worker stopped probing");
  };

  const leaseTick = async () => {
    if (stopped) return;
    try {
      if (!held) {
        held = await acquireLease(db, HEALTH_LEASE, holder, config.leaseMs);
        if (held) await (starting = becomeActive());
      } else if (!(await renewLease(db, HEALTH_LEASE, holder, config.leaseMs))) {
        held = false;
        await becomeIdle("lease lost");
      }
    } catch (err) {
      logger.error({ err }, "health worker lease check failed");
    } finally {
      starting = null;
    }
  };

  let lastMetricsPrune = 0;
  const maintain = async (now?: Date) => {
    if (!held || stopped) return;
    const run = async () => {
      try {
        const rolled = await rollUp(db, { now });
        const retained = await applyRetention(db, retentionConfig(), now);
        logger.debug({ event: "health.rollup", ...rolled, deleted: retained }, "health roll-ups done");
        // Business metrics age out under the same lease, hourly: their retention is in days, and
        // pruning walks every series.
        const at = (now ?? new Date()).getTime();
        if (at - lastMetricsPrune >= METRICS_PRUNE_EVERY_MS) {
          lastMetricsPrune = at;
          const pruned = await pruneBusinessMetrics({ now });
          if (pruned.points || pruned.series) logger.info({ event: "metrics.pruned", ...pruned }, "old business metric points deleted");
        }
      } catch (err) {
        logger.error({ err }, "health roll-up or retention failed");
      }
    };
    while (maintaining) await maintaining;
    maintaining = run().finally(() => (maintaining = null));
    await maintaining;
  };

  let leaseRun: Promise<void> = leaseTick();
  const leaseTimer = setInterval(() => {
    leaseRun = leaseRun.then(leaseTick);
  }, Math.max(100, Math.floor(config.leaseMs / 3)));
  const maintenanceTimer = setInterval(() => void maintain(), config.maintenanceEveryMs);
  leaseTimer.unref();
  maintenanceTimer.unref();

  return {
    active: () => held && engine !== null,
    engine: () => engine,
    maintain,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(leaseTimer);
      clearInterval(maintenanceTimer);
      await leaseRun;
      await starting;
      await maintaining;
      if (engine) {
        registerHealthScheduler(null);
        await engine.stop();
        engine = null;
      }
      if (held) await releaseLease(db, HEALTH_LEASE, holder).catch((err: unknown) => logger.error({ err }, "releasing the health lease failed"));
      held = false;
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
