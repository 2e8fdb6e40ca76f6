import { setMaxListeners } from "node:events";
import { probeOnce } from "./probe.ts";
import type { ProbeResult, ProbeSpec } from "./types.ts";

/*
 * The probe schedule: which check runs when, at most `concurrency` at once. No database here: the
 * host (scheduler-thread.ts in a worker thread, or in-process) feeds it the checks and takes the
 * results. Rules:
 *
 * - No drift. A check's probes are on a fixed grid: phase + k x interval (epoch ms). The next due
 *   time is the previous scheduled time + interval, never "finished + interval", so a slow probe
 *   or a late timer does not push the rest of the schedule.
 * - Spread. The phase comes from a hash of the check id, so 10,000 checks with the same interval
 *   are spread evenly over it instead of firing together.
 * - A probe never overlaps itself: a check still running at its next slot skips that slot (counted
 *   in `skipped`) and resumes on the grid.
 * - A bounded pool: due probes wait in a FIFO while `concurrency` run; a probe that has waited past
 *   its own next slot is skipped rather than run late twice (the counters say so).
 * - One timer for the whole schedule: a binary heap of due times, woken for the earliest.
 */

export type ScheduledResult = ProbeResult & { checkId: string; scheduledAt: number; lagMs: number };

export type SchedulerStats = {
  checks: number;
  running: number;
  queued: number;
  started: number;
  completed: number;
  skipped: number;
  /** Start lag (actual start - scheduled time) of the probes started since the last call. */
  lagP50Ms: number;
  lagP95Ms: number;
  lagMaxMs: number;
};

export type SchedulerOptions = {
  concurrency: number;
  onResult: (result: ScheduledResult) => void;
  /** Replaceable for tests. */
  probe?: (spec: ProbeSpec, signal?: AbortSignal) => Promise<ProbeResult>;
};

type Entry = { spec: ProbeSpec; intervalMs: number; phase: number; due: number; gen: number; queued: boolean };

/** 32-bit FNV-1a of the id, as a fraction in [0, 1): the check's phase within its interval. */
export function phaseOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

/** The first grid slot (phase + k x interval) at or after `t`. */
export function nextSlot(t: number, intervalMs: number, phaseMs: number): number {
  const k = Math.ceil((t - phaseMs) / intervalMs);
  return phaseMs + k * intervalMs;
}

export class ProbeScheduler {
  private readonly entries = new Map<string, Entry>();
  /** Min-heap of [due, id, gen]; stale items (gen changed or check removed) are dropped on pop. */
  private heap: { due: number; id: string; gen: number }[] = [];
  private readonly ready: { id: string; gen: number; due: number }[] = [];
  private readyHead = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private running = 0;
  private genSeq = 0;
  /** Check ids with a probe in flight (by id: a re-phased check is a new entry). */
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private stopped = false;
  private lags: number[] = [];
  private counters = { started: 0, completed: 0, skipped: 0 };
  private concurrency: number;
  private readonly probe: NonNullable<SchedulerOptions["probe"]>;

  constructor(private readonly options: SchedulerOptions) {
    this.concurrency = Math.max(1, options.concurrency);
    setMaxListeners(0, this.abort.signal); // one listener per probe in flight, by design
    this.probe = options.probe ?? probeOnce;
  }

  /** Adds or replaces checks. An unchanged interval keeps the check's place on its grid. */
  upsert(specs: readonly ProbeSpec[]): void {
    const now = Date.now();
    for (const spec of specs) {
      const intervalMs = Math.max(1, Math.round(spec.intervalSeconds * 1000));
      const old = this.entries.get(spec.id);
      if (old && old.intervalMs === intervalMs) {
        old.spec = spec; // the next probe uses the new settings
        continue;
      }
      const phase = phaseOf(spec.id) * intervalMs;
      const entry: Entry = { spec, intervalMs, phase, due: nextSlot(now, intervalMs, phase), gen: ++this.genSeq, queued: false };
      this.entries.set(spec.id, entry);
      this.push(entry);
    }
    this.arm();
  }

  /** Forgets checks (deleted or paused); a probe already running finishes and is reported. */
  remove(ids: readonly string[]): void {
    for (const id of ids) this.entries.delete(id);
  }

  /** The check ids scheduled now. */
  ids(): string[] {
    return [...this.entries.keys()];
  }

  setConcurrency(n: number): void {
    this.concurrency = Math.max(1, n);
    this.drain();
  }

  stats(): SchedulerStats {
    const lags = this.lags.sort((a, b) => a - b);
    this.lags = [];
    const q = (p: number) => (lags.length ? lags[Math.min(lags.length - 1, Math.floor(p * lags.length))]! : 0);
    return {
      checks: this.entries.size,
      running: this.running,
      queued: this.ready.length - this.readyHead,
      ...this.counters,
      lagP50Ms: q(0.5),
      lagP95Ms: q(0.95),
      lagMaxMs: lags[lags.length - 1] ?? 0,
    };
  }

  /** No new probes; running ones are aborted (and not reported) and awaited. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await Promise.all([...this.inFlight]);
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push({ due: entry.due, id: entry.spec.id, gen: entry.gen });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.due <= h[i]!.due) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private pop(): { due: number; id: string; gen: number } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.due < h[m]!.due) m = l;
        if (r < h.length && h[r]!.due < h[m]!.due) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }

  /** One timer, set for the earliest due time. */
  private arm(): void {
    if (this.stopped) return;
    const next = this.heap[0]?.due ?? Infinity;
    if (next === this.timerAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = next;
    if (next === Infinity) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - Date.now()));
  }

  private tick(): void {
    this.timer = null;
    this.timerAt = Infinity;
    if (this.stopped) return;
    const now = Date.now();
    while (this.heap.length && this.heap[0]!.due <= now) {
      const item = this.pop()!;
      const entry = this.entries.get(item.id);
      if (!entry || entry.gen !== item.gen) continue; // removed or re-phased
      // The next slot goes on the heap now: the schedule never waits for the probe.
      entry.due = item.due + entry.intervalMs;
      this.push(entry);
      if (this.busy.has(item.id) || entry.queued) {
        this.counters.skipped++; // never overlaps itself
        continue;
      }
      entry.queued = true;
      this.ready.push({ id: item.id, gen: item.gen, due: item.due });
    }
    this.drain();
    this.arm();
  }

  private drain(): void {
    while (this.running < this.concurrency && this.readyHead < this.ready.length && !this.stopped) {
      const job = this.ready[this.readyHead++]!;
      const entry = this.entries.get(job.id);
      if (!entry || entry.gen !== job.gen) continue;
      entry.queued = false;
      // Waited in the queue past its next slot: that slot will run it, this one is skipped.
      if (Date.now() >= job.due + entry.intervalMs) {
        this.counters.skipped++;
        continue;
      }
      this.start(entry, job.due);
    }
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready.splice(0, this.readyHead);
      this.readyHead = 0;
    }
  }

  private start(entry: Entry, scheduledAt: number): void {
    const id = entry.spec.id;
    this.busy.add(id);
    this.running++;
    this.counters.started++;
    const lagMs = Date.now() - scheduledAt;
    if (this.lags.length < 200_000) this.lags.push(lagMs);
    const spec = entry.spec;
    const p = this.probe(spec, this.abort.signal)
      .then(
        (result) => {
          if (this.stopped) return; // aborted by stop(): not a finding about the service
          this.counters.completed++;
          this.options.onResult({ ...result, checkId: spec.id, scheduledAt, lagMs });
        },
        () => undefined, // probeOnce never rejects; a replaced probe function might
      )
      .finally(() => {
        this.busy.delete(id);
        this.running--;
        this.inFlight.delete(p);
        this.drain();
      });
    this.inFlight.add(p);
  }
}
