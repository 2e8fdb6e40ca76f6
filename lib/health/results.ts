import type { Db } from "../db/client.ts";
import { insertSamples, upsertCheckStates, type SampleRow, type StateRow } from "../db/health-writes.ts";
import { databaseUrlOf } from "../db/client.ts";
import { providerOf, type DbProvider } from "../db/url.ts";
import { logger } from "../observability/logger.ts";
import type { ScheduledResult } from "./scheduler.ts";
import { applyResult, type CheckState, type CheckStatus } from "./state.ts";

/*
 * Persists probe results in batches: every flush (about once a second) is ONE transaction with the
 * samples (multi-row INSERT), each touched check's HealthCheckState (multi-row upsert: last result,
 * status, failures in a row) and a HealthEvent per state change. The state machine (state.ts) runs
 * here on an in-memory copy of each check's state; this worker is the only writer of those
 * columns (the lease makes it one per deployment), and a check's state is re-read when its config
 * changes (a resume may reset it). A state change inside an active (not cancelled) maintenance
 * window of the check's service is recorded muted with the window's id; every change is logged.
 */

export type TrackedCheck = { serviceId: string; name: string; retries: number; state: CheckState };

export type FlushStats = { samples: number; states: number; events: number; ms: number };

export class ResultWriter {
  private readonly checks = new Map<string, TrackedCheck>();
  private buffer: ScheduledResult[] = [];
  private readonly provider: DbProvider;
  private flushing: Promise<FlushStats> | null = null;
  readonly totals = { samples: 0, events: 0, flushes: 0, flushMs: 0, dropped: 0 };

  constructor(private readonly db: Db) {
    this.provider = providerOf(databaseUrlOf(db));
  }

  track(checkId: string, check: TrackedCheck): void {
    this.checks.set(checkId, check);
  }

  /** Updates a tracked check's config without touching its state. */
  retune(checkId: string, fields: Pick<TrackedCheck, "retries" | "name" | "serviceId">): void {
    const c = this.checks.get(checkId);
    if (c) Object.assign(c, fields);
  }

  forget(checkId: string): void {
    this.checks.delete(checkId);
  }

  tracked(checkId: string): TrackedCheck | undefined {
    return this.checks.get(checkId);
  }

  add(results: readonly ScheduledResult[]): void {
    for (const r of results) this.buffer.push(r);
  }

  pending(): number {
    return this.buffer.length;
  }

  /** Writes what is buffered (one flush at a time: a second call waits for the first). */
  async flush(): Promise<FlushStats> {
    while (this.flushing) await this.flushing;
    this.flushing = this.write().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async write(): Promise<FlushStats> {
    const started = performance.now();
    const results = this.buffer;
    this.buffer = [];
    const samples: SampleRow[] = [];
    const states = new Map<string, StateRow>();
    const events: { checkId: string; serviceId: string; name: string; from: CheckStatus; to: CheckStatus; at: Date; reason: string }[] = [];
    for (const r of results) {
      const check = this.checks.get(r.checkId);
      if (!check) continue; // deleted or paused since it was probed
      samples.push({ checkId: r.checkId, at: r.at, ok: r.ok, latencyMs: r.latencyMs, statusCode: r.statusCode, error: r.error });
      const t = applyResult(check.state, r.ok, r.at, check.retries);
      check.state = t.state;
      states.set(r.checkId, {
        checkId: r.checkId,
        ...t.state,
        lastCheckedAt: r.at,
        lastOk: r.ok,
        lastLatencyMs: r.latencyMs,
        lastStatusCode: r.statusCode,
        lastError: r.error,
        certExpiresAt: r.certExpiresAt,
      });
      if (t.changed) {
        const reason = r.ok ? `Answered${r.statusCode ? ` HTTP ${r.statusCode}` : ""} in ${r.latencyMs} ms.` : r.error;
        events.push({ checkId: r.checkId, serviceId: check.serviceId, name: check.name, ...t.changed, at: r.at, reason });
      }
    }
    if (!samples.length) return { samples: 0, states: 0, events: 0, ms: 0 };

    const windows = events.length
      ? await this.db.maintenanceWindow.findMany({
          where: { serviceId: { in: [...new Set(events.map((e) => e.serviceId))] }, cancelledAt: null, startsAt: { lte: new Date(Math.max(...events.map((e) => e.at.getTime()))) }, endsAt: { gt: new Date(Math.min(...events.map((e) => e.at.getTime()))) } },
          select: { id: true, serviceId: true, startsAt: true, endsAt: true },
          orderBy: { startsAt: "asc" },
        })
      : [];
    const eventRows = events.map((e) => {
      const w = windows.find((w) => w.serviceId === e.serviceId && w.startsAt <= e.at && w.endsAt > e.at);
      return { checkId: e.checkId, serviceId: e.serviceId, fromStatus: e.from, toStatus: e.to, at: e.at, reason: e.reason, muted: Boolean(w), maintenanceId: w?.id ?? null };
    });

    const stateRows = [...states.values()];
    try {
      await this.transaction(samples, stateRows, eventRows);
    } catch (err) {
      // Most likely a check deleted since the last reload (foreign key): keep the rows of the checks
      // that still exist and try once more.
      const ids = [...new Set(samples.map((s) => s.checkId))];
      const alive = new Set((await this.db.healthCheck.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((c) => c.id));
      for (const id of ids) if (!alive.has(id)) this.forget(id);
      const keep = <T extends { checkId: string }>(rows: T[]) => rows.filter((r) => alive.has(r.checkId));
      try {
        await this.transaction(keep(samples), keep(stateRows), keep(eventRows));
      } catch (again) {
        this.totals.dropped += samples.length;
        logger.error({ err: again, firstErr: err, samples: samples.length }, "health results could not be stored; this batch is lost");
        return { samples: 0, states: 0, events: 0, ms: performance.now() - started };
      }
    }
    for (const e of eventRows) {
      const check = this.checks.get(e.checkId);
      const fields = { event: "health.state", checkId: e.checkId, check: check?.name, serviceId: e.serviceId, from: e.fromStatus, to: e.toStatus, at: e.at.toISOString(), reason: e.reason, muted: e.muted, maintenanceId: e.maintenanceId };
      if (e.toStatus === "DOWN" && !e.muted) logger.warn(fields, "health check is DOWN");
      else logger.info(fields, `health check is ${e.toStatus}`);
    }
    const ms = performance.now() - started;
    this.totals.samples += samples.length;
    this.totals.events += eventRows.length;
    this.totals.flushes++;
    this.totals.flushMs += ms;
    return { samples: samples.length, states: stateRows.length, events: eventRows.length, ms };
  }

  private async transaction(samples: SampleRow[], states: StateRow[], events: { checkId: string; serviceId: string; fromStatus: CheckStatus; toStatus: CheckStatus; at: Date; reason: string; muted: boolean; maintenanceId: string | null }[]): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await insertSamples(tx, this.provider, samples);
      await upsertCheckStates(tx, this.provider, states);
      if (events.length) await tx.healthEvent.createMany({ data: events });
    });
  }
}
