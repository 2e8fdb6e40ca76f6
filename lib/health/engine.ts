import type { Db } from "../db/client.ts";
import { logger } from "../observability/logger.ts";
import { startProbeRunner, type ProbeRunner } from "./probe-runner.ts";
import { ResultWriter } from "./results.ts";
import type { SchedulerStats } from "./scheduler.ts";
import { PROBE_SPEC_SELECT, probeSpecFromRow, type ProbeSpec } from "./types.ts";

/*
 * The scheduler's main-thread half: reads the checks, feeds the probe runner (probe-runner.ts),
 * persists what comes back (results.ts) and follows config changes.
 *
 * Reload: every `reloadMs` one cheap aggregate (max updatedAt, count) tells whether anything
 * changed; only then are the changed rows read (updatedAt at or after the last seen, minus a
 * margin for clocks of other instances) and, when the count moved, the list of ids (deletions).
 * kick() (registerHealthScheduler / kickHealthScheduler) reloads at once. Paused checks are removed
 * from the schedule; a changed check keeps its place on its grid unless its interval changed.
 */

const SELECT = {
  ...PROBE_SPEC_SELECT,
  serviceId: true,
  name: true,
  paused: true,
  updatedAt: true,
  state: { select: { status: true, consecutiveFailures: true, statusSince: true } },
} as const;

const CLOCK_MARGIN_MS = 5_000;

export type HealthEngineOptions = {
  db: Db;
  concurrency: number;
  threaded: boolean;
  reloadMs: number;
  flushMs: number;
};

export type HealthEngine = {
  reload(): Promise<void>;
  flush(): Promise<void>;
  stats(): Promise<SchedulerStats & { writer: ResultWriter["totals"] }>;
  stop(): Promise<void>;
};

type Row = ProbeSpec & {
  serviceId: string;
  name: string;
  paused: boolean;
  updatedAt: Date;
  state: { status: "PENDING" | "UP" | "DOWN"; consecutiveFailures: number; statusSince: Date } | null;
};

export async function startHealthEngine(options: HealthEngineOptions): Promise<HealthEngine> {
  const { db } = options;
  const writer = new ResultWriter(db);
  const known = new Map<string, Date>(); // id -> updatedAt applied
  let lastMax = 0;
  let lastCount = -1;
  let runner: ProbeRunner | null = null;
  let stopped = false;

  const apply = (rows: Row[]) => {
    const upserts: ProbeSpec[] = [];
    const removes: string[] = [];
    for (const r of rows) {
      const seen = known.get(r.id);
      if (seen && seen.getTime() === r.updatedAt.getTime()) continue;
      known.set(r.id, r.updatedAt);
      lastMax = Math.max(lastMax, r.updatedAt.getTime());
      if (r.paused) {
        removes.push(r.id);
        writer.forget(r.id);
        continue;
      }
      // A new check, or an edited one (re-read state: a resume may have reset it).
      writer.track(r.id, {
        serviceId: r.serviceId,
        name: r.name,
        retries: r.retries,
        state: r.state ?? { status: "PENDING", consecutiveFailures: 0, statusSince: new Date() },
      });
      upserts.push(probeSpecFromRow(r));
    }
    if (removes.length) runner?.remove(removes);
    if (upserts.length) runner?.upsert(upserts);
    return { upserts: upserts.length, removes: removes.length };
  };

  const loadAll = async () => {
    const rows = (await db.healthCheck.findMany({ select: SELECT })) as Row[];
    lastCount = rows.length;
    return apply(rows);
  };

  let reloading: Promise<void> | null = null;
  const reloadOnce = async () => {
    const agg = await db.healthCheck.aggregate({ _max: { updatedAt: true }, _count: { _all: true } });
    const max = agg._max.updatedAt?.getTime() ?? 0;
    const count = agg._count._all;
    if (max <= lastMax && count === lastCount) return;
    const changed = (await db.healthCheck.findMany({ where: { updatedAt: { gte: new Date(lastMax - CLOCK_MARGIN_MS) } }, select: SELECT })) as Row[];
    const applied = apply(changed);
    let removed = 0;
    if (count !== lastCount) {
      const ids = new Set((await db.healthCheck.findMany({ select: { id: true } })).map((c) => c.id));
      const gone = [...known.keys()].filter((id) => !ids.has(id));
      for (const id of gone) {
        known.delete(id);
        writer.forget(id);
      }
      if (gone.length) runner?.remove(gone);
      removed = gone.length;
      lastCount = count;
    }
    if (applied.upserts || applied.removes || removed) logger.info({ event: "health.reload", ...applied, deleted: removed }, "health checks reloaded");
  };
  const reload = () => {
    // Coalesced: a reload asked for during one runs once more after it.
    const run = async () => {
      while (reloading) await reloading;
      reloading = reloadOnce()
        .catch((err: unknown) => logger.error({ err }, "reading the health checks failed"))
        .finally(() => (reloading = null));
      await reloading;
    };
    return run();
  };

  runner = await startProbeRunner({ concurrency: options.concurrency, threaded: options.threaded, onResults: (items) => writer.add(items) });
  const initial = await loadAll();
  logger.info({ event: "health.start", checks: initial.upserts, paused: initial.removes, threaded: runner.threaded, concurrency: options.concurrency }, "health probe scheduler started");

  let flushing: Promise<unknown> = Promise.resolve();
  const flusher = setInterval(() => {
    flushing = writer.flush().catch((err: unknown) => logger.error({ err }, "storing health results failed"));
  }, options.flushMs);
  const reloader = setInterval(() => void reload(), options.reloadMs);

  return {
    reload,
    flush: async () => {
      await writer.flush();
    },
    stats: async () => ({ ...(await runner!.stats()), writer: { ...writer.totals } }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(reloader);
      clearInterval(flusher);
      await runner?.stop();
      await reloading;
      await flushing;
      await writer.flush().catch((err: unknown) => logger.error({ err }, "storing the last health results failed"));
    },
  };
}
