import { parentPort, workerData } from "node:worker_threads";
import { ProbeScheduler, type ScheduledResult } from "./scheduler.ts";
import type { ToThread } from "./probe-runner.ts";

/*
 * The worker-thread side of probe-runner.ts: the schedule and the probes live on their own event
 * loop, so a page render blocking the main thread for 100 ms does not make probes late. Results go
 * back in batches every FLUSH_MS (one message, not one per probe).
 */
const FLUSH_MS = 100;
const port = parentPort;
if (port) {
  const { concurrency } = workerData as { concurrency: number };
  let batch: ScheduledResult[] = [];
  const scheduler = new ProbeScheduler({ concurrency, onResult: (r) => batch.push(r) });
  const flush = () => {
    if (!batch.length) return;
    port.postMessage({ t: "results", items: batch });
    batch = [];
  };
  const flusher = setInterval(flush, FLUSH_MS);
  port.on("message", (m: ToThread) => {
    if (m.t === "upsert") scheduler.upsert(m.specs);
    else if (m.t === "remove") scheduler.remove(m.ids);
    else if (m.t === "concurrency") scheduler.setConcurrency(m.n);
    else if (m.t === "stats") port.postMessage({ t: "stats", id: m.id, stats: scheduler.stats() });
    else if (m.t === "stop") {
      clearInterval(flusher);
      void scheduler.stop().then(() => {
        flush();
        port.postMessage({ t: "stopped" });
        port.close();
      });
    }
  });
  port.postMessage({ t: "ready" });
}
