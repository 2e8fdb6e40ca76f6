import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { logger } from "../observability/logger.ts";
import { ProbeScheduler, type ScheduledResult, type SchedulerStats } from "./scheduler.ts";
import type { ProbeSpec } from "./types.ts";

/*
 * Runs the probe schedule (scheduler.ts) in a worker thread (default) or on the main loop, behind
 * one interface. The thread is the default because the main thread also renders pages: a render
 * that blocks the event loop 50-100 ms would make every probe due meanwhile that late (measured in
 * bench/health-probes.ts). The database stays on the main thread: results come back in batches.
 *
 * The thread's entry is TypeScript. `tsx server.ts`, vitest and the e2e server all run TypeScript,
 * but a worker does not inherit a loader that works for its entry on Node 20, so the thread starts
 * from a tiny bootstrap that imports the entry through tsx's API (tsx is a runtime dependency).
 */

export type ToThread =
  | { t: "upsert"; specs: ProbeSpec[] }
  | { t: "remove"; ids: string[] }
  | { t: "concurrency"; n: number }
  | { t: "stats"; id: number }
  | { t: "stop" };

type FromThread = { t: "ready" } | { t: "results"; items: ScheduledResult[] } | { t: "stats"; id: number; stats: SchedulerStats } | { t: "stopped" };

export type ProbeRunner = {
  upsert(specs: ProbeSpec[]): void;
  remove(ids: string[]): void;
  stats(): Promise<SchedulerStats>;
  stop(): Promise<void>;
  readonly threaded: boolean;
};

export type ProbeRunnerOptions = {
  concurrency: number;
  /** false: run on the calling thread (HEALTH_PROBE_THREAD=0). */
  threaded: boolean;
  onResults: (results: ScheduledResult[]) => void;
};

export async function startProbeRunner(options: ProbeRunnerOptions): Promise<ProbeRunner> {
  return options.threaded ? startThreaded(options) : startInProcess(options);
}

function startInProcess(options: ProbeRunnerOptions): ProbeRunner {
  let batch: ScheduledResult[] = [];
  const flush = () => {
    if (!batch.length) return;
    const items = batch;
    batch = [];
    options.onResults(items);
  };
  const flusher = setInterval(flush, 100);
  const scheduler = new ProbeScheduler({ concurrency: options.concurrency, onResult: (r) => batch.push(r) });
  return {
    threaded: false,
    upsert: (specs) => scheduler.upsert(specs),
    remove: (ids) => scheduler.remove(ids),
    stats: async () => scheduler.stats(),
    stop: async () => {
      clearInterval(flusher);
      await scheduler.stop();
      flush();
    },
  };
}

async function startThreaded(options: ProbeRunnerOptions): Promise<ProbeRunner> {
  const entry = new URL("./scheduler-thread.ts", import.meta.url).href;
  // tsx's ESM API file (the "import" export of tsx/esm/api; require.resolve would give the CJS one).
  const tsxApi = path.join(path.dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist/esm/api/index.mjs");
  const bootstrap = `import(${JSON.stringify(pathToFileURL(tsxApi).href)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`;
  const worker = new Worker(bootstrap, {
    eval: true,
    execArgv: [],
    workerData: { concurrency: options.concurrency },
    name: "health-probes",
    env: process.env,
  });
  const pending = new Map<number, (s: SchedulerStats) => void>();
  let seq = 0;
  let stoppedResolve: (() => void) | null = null;
  const stopped = new Promise<void>((r) => (stoppedResolve = r));
  const ready = new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.on("message", (m: FromThread) => {
      if (m.t === "ready") resolve();
      else if (m.t === "results") options.onResults(m.items);
      else if (m.t === "stats") {
        pending.get(m.id)?.(m.stats);
        pending.delete(m.id);
      } else if (m.t === "stopped") stoppedResolve?.();
    });
  });
  worker.once("exit", () => stoppedResolve?.());
  // After start, a crash of the thread is logged (the lease loop's next owner check restarts nothing:
  // the process is expected to be restarted by its supervisor if probing stops; the log says why).
  worker.on("error", (err) => logger.error({ err }, "the health probe thread failed"));
  await ready;
  worker.unref(); // the process's own lifetime decides; stop() ends the thread cleanly
  const send = (m: ToThread) => worker.postMessage(m);
  return {
    threaded: true,
    upsert: (specs) => send({ t: "upsert", specs }),
    remove: (ids) => send({ t: "remove", ids }),
    stats: () =>
      new Promise((resolve) => {
        const id = ++seq;
        worker.ref(); // keeps the process alive until the answer arrives
        pending.set(id, (stats) => {
          if (pending.size <= 1) worker.unref();
          resolve(stats);
        });
        send({ t: "stats", id });
      }),
    stop: async () => {
      worker.ref();
      send({ t: "stop" });
      const timeout = new Promise<void>((r) => setTimeout(r, 5_000).unref());
      await Promise.race([stopped, timeout]);
      await worker.terminate();
    },
  };
}
