import { recordAudit } from "../audit/record.ts";
import { formatChangeNumber } from "../changes/number.ts";
import { db, type Colour, type DeploymentStatus, type DeploymentStepKind, type DeploymentStepStatus } from "../db/client.ts";
import { overlappingFreezes } from "../freeze/overlap.ts";
import { logger } from "../observability/logger.ts";
import { driverFor } from "./drivers/index.ts";
import { finishDeployment, RUNNER_CONTEXT, SYSTEM_ACTOR, type FinalStatus } from "./finish.ts";
import { appendLog, deploymentLog, type DeploymentLog } from "./log.ts";
import { leaseMs, runnerId } from "./loop.ts";
import { formatDeploymentNumber } from "./number.ts";
import { healthCheck, joinUrl, validate } from "./probe.ts";
import { DEPLOYMENT_STEPS, type DeploymentDriver, type DriverContext, type StepLogger } from "./types.ts";

/*
 * Runs a deployment whose lease this runner holds, step by step:
 *   PREFLIGHT -> DEPLOY (idle colour) -> HEALTH_CHECK (idle colour) -> SWITCH -> VALIDATE -> DONE.
 * Each step goes RUNNING (startedAt) -> SUCCEEDED | FAILED (finishedAt, a summary for people and
 * figures as JSON), with log lines as it goes. While it runs, the lease is heartbeated every
 * leaseMs/3 and the deployment is watched for a rollback request, which aborts the step in flight.
 *
 * How it ends:
 *   - every step passed: SUCCEEDED, change DEPLOYED (finish.ts, one transaction);
 *   - a step failed before SWITCH started: FAILED, change FAILED; the idle colour never had
 *     traffic and nothing is moved (the outcome says where traffic is, as read back);
 *   - a step failed at/after SWITCH, or a rollback was requested: a ROLLBACK step is appended,
 *     traffic goes back to the colour that was live before (read back to confirm): ROLLED_BACK,
 *     change ROLLED_BACK; if the rollback itself fails: FAILED, saying where traffic is read back.
 *   - a manual rollback of a SUCCEEDED deployment (status ROLLING_BACK with a PENDING ROLLBACK
 *     step appended by rollback.ts): the same ROLLBACK step; the DEPLOYED change becomes ROLLED_BACK.
 *   - a deployment whose runner died (recovery.ts took the expired lease over): audited as
 *     recovered; before SWITCH it fails with traffic confirmed on the old colour, from SWITCH on it
 *     is rolled back.
 * On shutdown the current step finishes (or is stopped once the grace is over) and the deployment
 * is left, lease released, for recovery by the next runner.
 */

export const STEP_LABELS: Record<DeploymentStepKind, string> = {
  PREFLIGHT: "Preflight",
  DEPLOY: "Deploy",
  HEALTH_CHECK: "Health check",
  SWITCH: "Switch",
  VALIDATE: "Validation",
  DONE: "Done",
  ROLLBACK: "Rollback",
};

export type RunOptions = {
  /** Use this driver instead of the one the target configures. */
  driver?: DeploymentDriver;
  /** The lease owner this run acts as (default this process's runnerId()). */
  owner?: string;
  /** This runner took the deployment over from one whose lease expired (recovery.ts). */
  takeover?: { previousOwner: string; leaseExpiredAt: Date | null };
  /** Aborted when the process shuts down: the current step finishes, then the deployment is left for recovery. */
  stopping?: AbortSignal;
  /** Aborted when the shutdown grace is over: the current step is stopped as well. */
  halt?: AbortSignal;
};

export type RunResult =
  | { status: FinalStatus }
  /** Nothing more done here: not this runner's lease, lease lost to another runner, or shut down. */
  | { status: DeploymentStatus | null; left: "not_ours" | "lease_lost" | "shutdown" };

/** A step failed; `detail` goes to the step's detail JSON. */
export class StepError extends Error {
  constructor(
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "StepError";
  }
}

/** The run must stop without finishing: the lease is gone or the process is going down. */
class Interrupted extends Error {
  constructor(readonly why: "lease_lost" | "shutdown") {
    super(why === "lease_lost" ? "the lease was lost" : "the portal is shutting down");
    this.name = "Interrupted";
  }
}

type StepResult = { summary: string; detail?: Record<string, unknown> };
type LiveReading = { colour: Colour | null } | { error: string };

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);
const colourWord = (c: Colour | null) => (c ? c : "no colour");
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const utc = (d: Date) => `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;

function trafficText(live: LiveReading): string {
  if ("error" in live) return `traffic could not be read back (${live.error})`;
  return live.colour ? `traffic on ${live.colour} (read back)` : "no colour is live (read back)";
}

async function loadDeployment(id: string) {
  const d = await db.deployment.findUnique({
    where: { id },
    include: {
      steps: { orderBy: { position: "asc" } },
      service: { select: { id: true, name: true, environment: true } },
      change: { select: { id: true, number: true, status: true, type: true, plannedStart: true, plannedEnd: true } },
    },
  });
  if (!d) return null;
  const target = await db.deploymentTarget.findUnique({ where: { serviceId: d.serviceId } });
  return { d, target };
}
type Loaded = NonNullable<Awaited<ReturnType<typeof loadDeployment>>>;
type StepRow = Loaded["d"]["steps"][number];

/** Runs (or finishes, or recovers) deployment `id` if this runner holds its lease. */
export async function runDeployment(id: string, options: RunOptions = {}): Promise<RunResult> {
  const owner = options.owner ?? runnerId();
  const claimed = await db.deployment.updateMany({
    where: { id, leaseOwner: owner, status: { in: ["RUNNING", "ROLLING_BACK"] } },
    data: { leaseExpiresAt: new Date(Date.now() + leaseMs()) },
  });
  const loaded = await loadDeployment(id);
  if (!claimed.count || !loaded) return { status: loaded?.d.status ?? null, left: "not_ours" };
  const run = new DeploymentRun(loaded, owner, options);
  try {
    return await run.execute();
  } catch (err) {
    if (err instanceof Interrupted) return run.leave(err.why);
    logger.error({ err, deploymentId: id }, "deployment run failed unexpectedly; left for recovery");
    await run.log.flush();
    await appendLog(db, id, null, `The runner hit an unexpected error (${errorText(err)}); the deployment will be recovered.`, "error").catch(() => undefined);
    return { status: null, left: "lease_lost" };
  } finally {
    run.stopTimers();
  }
}

class DeploymentRun {
  readonly log: DeploymentLog;
  private readonly d: Loaded["d"];
  private readonly target: Loaded["target"];
  private steps: StepRow[];
  private driver: DeploymentDriver | null = null;
  private driverError: string | null = null;
  /** Aborts the main steps: a rollback request, a lost lease, the end of the shutdown grace. */
  private readonly main = new AbortController();
  /** Aborts the ROLLBACK step: only a lost lease or the end of the shutdown grace. */
  private readonly rollbackAbort = new AbortController();
  private interruption: "lease_lost" | "shutdown" | null = null;
  private rollbackRequested: { at: Date; byId: string | null; reason: string } | null = null;
  private phase: "main" | "rollback" = "main";
  private timers: NodeJS.Timeout[] = [];

  constructor(
    loaded: Loaded,
    private readonly owner: string,
    private readonly options: RunOptions,
  ) {
    this.d = loaded.d;
    this.target = loaded.target;
    this.steps = loaded.d.steps;
    this.log = deploymentLog(loaded.d.id);
    if (loaded.d.rollbackRequestedAt) {
      this.rollbackRequested = { at: loaded.d.rollbackRequestedAt, byId: loaded.d.rollbackRequestedById, reason: loaded.d.rollbackReason };
    }
    try {
      if (!this.target) throw new Error(`${loaded.d.service.name} has no deployment target any more.`);
      this.driver = options.driver ?? driverFor(this.target);
    } catch (err) {
      this.driverError = errorText(err);
    }
    options.halt?.addEventListener("abort", this.onHalt, { once: true });
    if (options.halt?.aborted) this.interrupt("shutdown");
    this.startTimers();
  }

  // ---- lease, rollback requests, shutdown ----

  private startTimers(): void {
    const lease = leaseMs();
    let beating = false;
    const beat = setInterval(() => {
      if (beating) return;
      beating = true;
      db.deployment
        .updateMany({ where: { id: this.d.id, leaseOwner: this.owner }, data: { leaseExpiresAt: new Date(Date.now() + lease) } })
        .then(({ count }) => {
          if (count === 0) this.interrupt("lease_lost");
        })
        .catch((err: unknown) => logger.warn({ err, deploymentId: this.d.id }, "lease heartbeat failed; retrying"))
        .finally(() => {
          beating = false;
        });
    }, Math.max(100, Math.floor(lease / 3)));
    let polling = false;
    const poll = setInterval(() => {
      if (polling || this.phase !== "main" || this.rollbackRequested) return;
      polling = true;
      db.deployment
        .findUnique({ where: { id: this.d.id }, select: { rollbackRequestedAt: true, rollbackRequestedById: true, rollbackReason: true } })
        .then((row) => {
          if (row?.rollbackRequestedAt && this.phase === "main") {
            this.rollbackRequested = { at: row.rollbackRequestedAt, byId: row.rollbackRequestedById, reason: row.rollbackReason };
            this.main.abort(new Error("a rollback was requested"));
          }
        })
        .catch((err: unknown) => logger.warn({ err, deploymentId: this.d.id }, "could not check for a rollback request"))
        .finally(() => {
          polling = false;
        });
    }, Math.max(50, Math.min(250, Math.floor(lease / 3))));
    beat.unref();
    poll.unref();
    this.timers.push(beat, poll);
  }

  private readonly onHalt = () => this.interrupt("shutdown");

  stopTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.options.halt?.removeEventListener("abort", this.onHalt);
  }

  private interrupt(why: "lease_lost" | "shutdown"): void {
    if (this.interruption) return;
    this.interruption = why;
    const reason = new Interrupted(why);
    this.main.abort(reason);
    this.rollbackAbort.abort(reason);
  }

  /** Stops here: on shutdown the lease is released so the next runner recovers the deployment at once. */
  async leave(why: "lease_lost" | "shutdown"): Promise<RunResult> {
    this.stopTimers();
    await this.log.flush();
    if (why === "shutdown") {
      await appendLog(db, this.d.id, null, "The portal is shutting down: the deployment is left for recovery by the next runner.", "warn").catch(() => undefined);
      await db.deployment
        .updateMany({ where: { id: this.d.id, leaseOwner: this.owner }, data: { leaseExpiresAt: new Date() } })
        .catch(() => undefined);
    }
    return { status: null, left: why };
  }

  private checkInterrupted(): void {
    if (this.interruption) throw new Interrupted(this.interruption);
  }

  private async refreshRollbackRequest(): Promise<boolean> {
    if (this.rollbackRequested) return true;
    const row = await db.deployment.findUnique({
      where: { id: this.d.id },
      select: { rollbackRequestedAt: true, rollbackRequestedById: true, rollbackReason: true },
    });
    if (row?.rollbackRequestedAt) this.rollbackRequested = { at: row.rollbackRequestedAt, byId: row.rollbackRequestedById, reason: row.rollbackReason };
    return Boolean(this.rollbackRequested);
  }

  private async rollbackRequestText(): Promise<string> {
    const r = this.rollbackRequested;
    if (!r) return "";
    const by = r.byId ? await db.user.findUnique({ where: { id: r.byId }, select: { name: true } }) : null;
    return `Rollback requested${by ? ` by ${by.name}` : ""}${r.reason ? `: ${r.reason.replace(/[.\s]+$/, "")}` : ""}.`;
  }

  // ---- steps ----

  private context(signal: AbortSignal, log: StepLogger): DriverContext {
    return {
      service: this.d.service,
      version: this.d.version,
      deploymentId: this.d.id,
      urls: { BLUE: this.target?.blueUrl ?? "", GREEN: this.target?.greenUrl ?? "" },
      log,
      signal,
    };
  }

  private requireDriver(): DeploymentDriver {
    if (!this.driver) throw new StepError(this.driverError ?? "No driver.");
    return this.driver;
  }

  private stepRow(kind: DeploymentStepKind): StepRow | undefined {
    return [...this.steps].reverse().find((s) => s.kind === kind);
  }

  private async setStep(row: StepRow, data: { status: DeploymentStepStatus; startedAt?: Date; finishedAt?: Date; summary?: string; detail?: Record<string, unknown> }) {
    const updated = await db.deploymentStep.update({
      where: { id: row.id },
      data: { ...data, detail: data.detail ? JSON.stringify(data.detail) : undefined },
    });
    this.steps = this.steps.map((s) => (s.id === row.id ? updated : s));
    return updated;
  }

  /** Runs one step: RUNNING -> SUCCEEDED with its summary and figures, or FAILED (rethrown). */
  private async step(row: StepRow, signal: AbortSignal, fn: (log: StepLogger) => Promise<StepResult>): Promise<StepResult> {
    this.checkInterrupted();
    const label = STEP_LABELS[row.kind];
    const log = this.log.forStep(row.kind);
    await this.log.flush();
    await this.setStep(row, { status: "RUNNING", startedAt: new Date() });
    log(`${label} started.`);
    const started = performance.now();
    try {
      const result = await fn(log);
      log(`${label} passed: ${result.summary}`);
      await this.log.flush();
      await this.setStep(row, {
        status: "SUCCEEDED",
        finishedAt: new Date(),
        summary: result.summary,
        detail: { ...result.detail, durationMs: Math.round(performance.now() - started) },
      });
      return result;
    } catch (err) {
      if (this.interruption === "lease_lost") throw new Interrupted("lease_lost");
      const durationMs = Math.round(performance.now() - started);
      let summary = errorText(err);
      if (this.interruption === "shutdown") summary = "Interrupted: the portal shut down during this step.";
      else if (signal === this.main.signal && this.main.signal.aborted && this.rollbackRequested) summary = `Stopped: ${await this.rollbackRequestText()}`;
      log(`${label} failed: ${summary}`, "error");
      await this.log.flush();
      await this.setStep(row, {
        status: "FAILED",
        finishedAt: new Date(),
        summary,
        detail: { ...(err instanceof StepError ? err.detail : {}), durationMs },
      });
      if (this.interruption === "shutdown") throw new Interrupted("shutdown");
      throw err instanceof StepError ? err : new StepError(summary);
    }
  }

  private async readLive(signal: AbortSignal, log: StepLogger): Promise<Colour | null> {
    const live = await this.requireDriver().readLive({ service: this.d.service, urls: this.context(signal, log).urls, log, signal });
    await db.deploymentTarget.updateMany({ where: { serviceId: this.d.serviceId }, data: { liveColour: live, liveCheckedAt: new Date() } });
    return live;
  }

  /** Reads the live colour for an outcome; never throws. */
  private async readLiveSafe(): Promise<LiveReading> {
    try {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error("timed out")), 60_000);
      try {
        return { colour: await this.readLive(controller.signal, this.log.forStep(null)) };
      } finally {
        clearTimeout(timer);
      }
    } catch (err) {
      return { error: errorText(err) };
    }
  }

  private preflight = async (log: StepLogger): Promise<StepResult> => {
    const signal = this.main.signal;
    const change = await db.changeRequest.findUniqueOrThrow({
      where: { id: this.d.changeId },
      select: { number: true, status: true, type: true, plannedStart: true, plannedEnd: true },
    });
    const ref = formatChangeNumber(change.number);
    if (change.status !== "DEPLOYING") throw new StepError(`${ref} is no longer deploying (it is ${change.status.toLowerCase()}).`);
    const now = new Date();
    if (now < change.plannedStart || now > change.plannedEnd) {
      throw new StepError(`Now is outside ${ref}'s window (${utc(change.plannedStart)} to ${utc(change.plannedEnd)}).`);
    }
    log(`${ref} is deploying and inside its window (until ${utc(change.plannedEnd)}).`);
    const freezes = await overlappingFreezes(db, this.d.service.environment, now, new Date(now.getTime() + 1));
    if (freezes.length) {
      const f = freezes[0]!;
      const what = `A freeze window applies now (${f.reason || "no reason given"}, until ${utc(f.endsAt)})`;
      if (change.type !== "EMERGENCY") throw new StepError(`${what}.`, { freezeIds: freezes.map((x) => x.id) });
      log(`${what}; this emergency change goes ahead under the override given when it was approved or triggered.`, "warn");
    }
    log("Resource verification: the driver checks its commands and files.");
    await this.requireDriver().preflight(this.context(signal, log));
    const backup = await db.changeEvidence.findFirst({
      where: { changeId: this.d.changeId, item: "BACKUP_VERIFICATION", supersededAt: null },
      orderBy: { recordedAt: "desc" },
      include: { recordedBy: { select: { name: true } } },
    });
    if (!backup || backup.result !== "PASSED" || !backup.verifiedAt) {
      throw new StepError(`${ref} has no passed backup verification to rely on.`);
    }
    log(
      `Backup confirmed: backup of ${utc(backup.verifiedAt)} verified${backup.link ? ` (${backup.link})` : ""}, recorded by ${backup.recordedBy.name} at ${utc(backup.recordedAt)}.`,
    );
    const live = await this.readLive(signal, log);
    if (live !== this.d.fromColour) {
      throw new StepError(
        `Traffic is on ${colourWord(live)} (read back) but the deployment started from ${colourWord(this.d.fromColour)}: it was moved outside the portal. Deploy again to start from the current state.`,
        { liveBefore: live },
      );
    }
    log(`Live colour read back: ${colourWord(live)}.`);
    return {
      summary: `Gates hold; backup of ${utc(backup.verifiedAt)} confirmed; ${colourWord(live)} live (read back).`,
      detail: {
        window: { start: change.plannedStart.toISOString(), end: change.plannedEnd.toISOString() },
        freezeOverridden: freezes.length > 0,
        backup: { evidenceId: backup.id, verifiedAt: backup.verifiedAt.toISOString(), link: backup.link, recordedBy: backup.recordedBy.name },
        liveBefore: live,
      },
    };
  };

  private deploy = async (log: StepLogger): Promise<StepResult> => {
    const started = performance.now();
    await this.requireDriver().deploy(this.context(this.main.signal, log), this.d.toColour);
    const ms = Math.round(performance.now() - started);
    return { summary: `${this.d.version} deployed to ${this.d.toColour} in ${seconds(ms)}.`, detail: { colour: this.d.toColour, version: this.d.version, deployMs: ms } };
  };

  private healthCheck = async (log: StepLogger): Promise<StepResult> => {
    const t = this.target!;
    const url = joinUrl(this.d.toColour === "BLUE" ? t.blueUrl : t.greenUrl, t.healthPath);
    log(`Checking ${url}: ${t.healthSuccesses} consecutive successes needed within ${seconds(t.healthTimeoutMs)}.`);
    const r = await healthCheck(url, {
      successes: t.healthSuccesses,
      intervalMs: t.healthIntervalMs,
      timeoutMs: t.healthTimeoutMs,
      signal: this.main.signal,
      log,
    });
    const detail = { url, ...r };
    if (r.stopped) throw new StepError("Stopped.", detail);
    if (!r.ok) {
      throw new StepError(
        `${this.d.toColour} failed its health checks: ${r.consecutive}/${r.required} consecutive successes within ${seconds(t.healthTimeoutMs)} (${r.attempts} attempts${r.lastError ? `, last: ${r.lastError}` : ""}).`,
        detail,
      );
    }
    return { summary: `${r.required}/${r.required} health checks passed in ${seconds(r.elapsedMs)}${r.attempts > r.required ? ` (${r.attempts} attempts)` : ""}.`, detail };
  };

  private switchTraffic = async (log: StepLogger): Promise<StepResult> => {
    const started = performance.now();
    const driver = this.requireDriver();
    await driver.switchTo(this.context(this.main.signal, log), this.d.toColour);
    const live = await this.readLive(this.main.signal, log);
    if (live !== this.d.toColour) throw new StepError(`After the switch, traffic reads back on ${colourWord(live)}, not ${this.d.toColour}.`, { readBack: live });
    const liveAt = new Date();
    const switchMs = Math.round(performance.now() - started);
    const timeToLiveMs = liveAt.getTime() - this.d.startedAt.getTime();
    await db.$transaction(async (tx) => {
      await tx.deployment.update({ where: { id: this.d.id }, data: { liveAt } });
      await recordAudit(tx, {
        action: "deployment.live",
        actor: SYSTEM_ACTOR,
        context: RUNNER_CONTEXT,
        target: { type: "Deployment", id: this.d.id },
        changes: {
          deployment: formatDeploymentNumber(this.d.number),
          service: this.d.service.name,
          version: this.d.version,
          from: this.d.fromColour,
          to: this.d.toColour,
          timeToLiveMs,
        },
      });
    });
    return {
      summary: `Traffic on ${this.d.toColour} (read back), ${seconds(timeToLiveMs)} after the start.`,
      detail: { from: this.d.fromColour, to: this.d.toColour, readBack: live, switchMs, liveAt: liveAt.toISOString(), timeToLiveMs },
    };
  };

  private validation = async (log: StepLogger): Promise<StepResult> => {
    const t = this.target!;
    const url = joinUrl(this.d.toColour === "BLUE" ? t.blueUrl : t.greenUrl, t.healthPath);
    log(
      `Sampling ${url} every ${t.validationIntervalMs} ms for ${seconds(t.validationWindowMs)}: error rate at most ${t.maxErrorRatePct}%, p95 at most ${t.maxP95LatencyMs} ms.`,
    );
    const r = await validate(url, {
      windowMs: t.validationWindowMs,
      intervalMs: t.validationIntervalMs,
      maxErrorRatePct: t.maxErrorRatePct,
      maxP95LatencyMs: t.maxP95LatencyMs,
      signal: this.main.signal,
      log,
    });
    const detail = { url, ...r };
    if (r.stopped) throw new StepError("Stopped.", detail);
    const figures = `error rate ${r.errorRatePct}% (max ${r.maxErrorRatePct}%), p95 ${r.p95Ms} ms (max ${r.maxP95LatencyMs} ms), ${r.samples} samples over ${seconds(r.elapsedMs)}`;
    if (!r.ok) throw new StepError(`Monitoring validation failed: ${r.reasons.join(" ")} (${figures}).`, detail);
    return { summary: `${figures[0]!.toUpperCase()}${figures.slice(1)}.`, detail };
  };

  private done = async (log: StepLogger): Promise<StepResult> => {
    const live = await this.readLive(this.main.signal, log);
    if (live !== this.d.toColour) throw new StepError(`Traffic reads back on ${colourWord(live)}, not ${this.d.toColour}.`, { readBack: live });
    const liveAt = (await db.deployment.findUniqueOrThrow({ where: { id: this.d.id }, select: { liveAt: true } })).liveAt;
    const timeToLiveMs = liveAt ? liveAt.getTime() - this.d.startedAt.getTime() : null;
    return {
      summary: `${this.d.toColour} live (read back)${this.d.fromColour ? `; ${this.d.fromColour} kept for instant rollback` : ""}.`,
      detail: { readBack: live, kept: this.d.fromColour, timeToLiveMs, totalMs: Date.now() - this.d.startedAt.getTime() },
    };
  };

  private readonly handlers: Record<(typeof DEPLOYMENT_STEPS)[number], (log: StepLogger) => Promise<StepResult>> = {
    PREFLIGHT: this.preflight,
    DEPLOY: this.deploy,
    HEALTH_CHECK: this.healthCheck,
    SWITCH: this.switchTraffic,
    VALIDATE: this.validation,
    DONE: this.done,
  };

  // ---- the flows ----

  async execute(): Promise<RunResult> {
    const { d } = this;
    if (this.options.takeover) return this.takeover(this.options.takeover);
    const mainSteps = this.steps.filter((s) => s.kind !== "ROLLBACK");
    const fresh = d.status === "RUNNING" && mainSteps.length === DEPLOYMENT_STEPS.length && this.steps.every((s) => s.status === "PENDING");
    if (fresh) return this.runMain();
    const last = this.steps[this.steps.length - 1];
    if (d.status === "ROLLING_BACK" && last?.kind === "ROLLBACK" && last.status === "PENDING" && !this.steps.some((s) => s.status === "RUNNING")) {
      return this.rollBack({ reasonText: await this.rollbackRequestText(), switchStarted: true });
    }
    // Half done by an earlier attempt of this runner (an unexpected error): finish it like a takeover.
    return this.takeover({ previousOwner: this.owner, leaseExpiredAt: d.leaseExpiresAt });
  }

  private async runMain(): Promise<RunResult> {
    let failure: { kind: DeploymentStepKind; message: string } | null = null;
    for (const kind of DEPLOYMENT_STEPS) {
      if (this.options.stopping?.aborted) throw new Interrupted("shutdown");
      if (await this.refreshRollbackRequest()) break;
      const row = this.stepRow(kind)!;
      try {
        await this.step(row, this.main.signal, this.handlers[kind]);
      } catch (err) {
        if (err instanceof Interrupted) throw err;
        if (this.rollbackRequested && this.main.signal.aborted) break;
        failure = { kind, message: errorText(err) };
        break;
      }
    }
    if (!failure && !this.rollbackRequested) {
      const timeToLiveMs = (this.stepDetail("SWITCH").timeToLiveMs as number | undefined) ?? null;
      const finished = await finishDeployment({
        deploymentId: this.d.id,
        owner: this.owner,
        expected: "RUNNING",
        status: "SUCCEEDED",
        outcome: `${this.d.service.name} ${this.d.version} is live on ${this.d.toColour} (read back)${timeToLiveMs !== null ? `, ${seconds(timeToLiveMs)} after the start` : ""}${this.d.fromColour ? `; ${this.d.fromColour} is kept for instant rollback` : ""}.`,
        liveColour: this.d.toColour,
        manualRollback: false,
        figures: { timeToLiveMs, durationMs: Date.now() - this.d.startedAt.getTime() },
      });
      if (finished) return { status: "SUCCEEDED" };
      // Refused: a rollback came in at the last moment (roll back), or the lease is gone (stop).
      const now = await db.deployment.findUnique({ where: { id: this.d.id }, select: { status: true, leaseOwner: true } });
      if (now?.status !== "RUNNING" || now.leaseOwner !== this.owner) throw new Interrupted("lease_lost");
      await this.refreshRollbackRequest();
    }
    await this.skipPending();
    const switchStarted = this.started("SWITCH");
    if (this.rollbackRequested) return this.rollBack({ reasonText: await this.rollbackRequestText(), switchStarted });
    const failed = failure!;
    const why = `${STEP_LABELS[failed.kind]} failed: ${failed.message.replace(/\.$/, "")}.`;
    if (switchStarted) return this.rollBack({ reasonText: why, switchStarted });
    const live = await this.readLiveSafe();
    return this.end("RUNNING", "FAILED", `${why} ${this.d.toColour} never received traffic; ${trafficText(live)}.`, live, false);
  }

  private stepDetail(kind: DeploymentStepKind): Record<string, unknown> {
    const row = this.stepRow(kind);
    try {
      return row ? (JSON.parse(row.detail) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  /** Whether the step ever started (traffic may have moved once SWITCH started). */
  private started(kind: DeploymentStepKind): boolean {
    const row = this.stepRow(kind);
    return Boolean(row && row.status !== "PENDING" && row.status !== "SKIPPED");
  }

  private async skipPending(): Promise<void> {
    const pending = this.steps.filter((s) => s.status === "PENDING" && s.kind !== "ROLLBACK");
    if (!pending.length) return;
    await db.deploymentStep.updateMany({ where: { id: { in: pending.map((s) => s.id) } }, data: { status: "SKIPPED" } });
    this.steps = this.steps.map((s) => (pending.some((p) => p.id === s.id) ? { ...s, status: "SKIPPED" } : s));
  }

  private async end(expected: "RUNNING" | "ROLLING_BACK", status: FinalStatus, outcome: string, live: LiveReading, manualRollback: boolean, figures: Record<string, unknown> = {}): Promise<RunResult> {
    await this.log.flush();
    const finished = await finishDeployment({
      deploymentId: this.d.id,
      owner: this.owner,
      expected,
      status,
      outcome,
      liveColour: "error" in live ? undefined : live.colour,
      manualRollback,
      figures,
    });
    if (!finished) throw new Interrupted("lease_lost");
    return { status };
  }

  /**
   * Moves traffic back to the colour live before the deployment, in a ROLLBACK step (the PENDING
   * one a manual request appended, or a new one), and ends ROLLED_BACK, or FAILED when it could not.
   */
  private async rollBack({ reasonText, switchStarted }: { reasonText: string; switchStarted: boolean }): Promise<RunResult> {
    this.phase = "rollback";
    this.checkInterrupted();
    const manualRollback = this.d.finishedAt !== null; // it had finished (SUCCEEDED) before the rollback
    if (this.d.status === "RUNNING") {
      const moved = await db.deployment.updateMany({ where: { id: this.d.id, status: "RUNNING", leaseOwner: this.owner }, data: { status: "ROLLING_BACK" } });
      if (!moved.count) throw new Interrupted("lease_lost");
    }
    let row = this.steps[this.steps.length - 1];
    if (!row || row.kind !== "ROLLBACK" || row.status !== "PENDING") {
      const position = Math.max(0, ...this.steps.map((s) => s.position)) + 1;
      row = await db.deploymentStep.create({ data: { deploymentId: this.d.id, position, kind: "ROLLBACK", status: "PENDING" } });
      this.steps = [...this.steps, row];
    }
    const from = this.d.fromColour;
    const signal = this.rollbackAbort.signal;
    let rollbackMs = 0;
    try {
      await this.step(row, signal, async (log) => {
        log(reasonText, "warn");
        if (!from) throw new StepError(`Nothing was live before this deployment, so there is no colour to return to.`);
        const driver = this.requireDriver();
        const started = performance.now();
        if (!switchStarted) {
          const before = await this.readLive(signal, log);
          if (before === from) {
            rollbackMs = Math.round(performance.now() - started);
            return { summary: `Traffic never left ${from} (read back); nothing to move.`, detail: { from: this.d.toColour, to: from, readBack: before, moved: false, rollbackMs } };
          }
        }
        log(`Switching traffic back to ${from}.`);
        await driver.switchTo(this.context(signal, log), from);
        const live = await this.readLive(signal, log);
        rollbackMs = Math.round(performance.now() - started);
        if (live !== from) throw new StepError(`After rolling back, traffic reads back on ${colourWord(live)}, not ${from}.`, { readBack: live, rollbackMs });
        return { summary: `Traffic back on ${from} (read back) in ${seconds(rollbackMs)}.`, detail: { from: this.d.toColour, to: from, readBack: live, moved: true, rollbackMs } };
      });
    } catch (err) {
      if (err instanceof Interrupted) throw err;
      const live = await this.readLiveSafe();
      return this.end("ROLLING_BACK", "FAILED", `${reasonText} Rolling back failed: ${errorText(err).replace(/\.$/, "")}; ${trafficText(live)}.`, live, manualRollback, {
        rollbackFailed: true,
      });
    }
    return this.end("ROLLING_BACK", "ROLLED_BACK", `${reasonText} Rolled back: traffic on ${from} (read back) in ${seconds(rollbackMs)}.`, { colour: from }, manualRollback, {
      rollbackMs,
    });
  }

  /**
   * Finishes a deployment whose runner stopped (lease expired) or whose run broke off: audited as
   * recovered; before SWITCH it fails with traffic confirmed on the old colour, from SWITCH on
   * (or mid-rollback) traffic goes back to the old colour.
   */
  private async takeover(previous: { previousOwner: string; leaseExpiredAt: Date | null }): Promise<RunResult> {
    const { d } = this;
    const running = this.steps.find((s) => s.status === "RUNNING");
    const interrupted = running ?? [...this.steps].reverse().find((s) => s.status !== "PENDING" && s.status !== "SKIPPED");
    const where = !interrupted
      ? "before the first step"
      : `${interrupted.status === "SUCCEEDED" ? "after" : "during"} ${STEP_LABELS[interrupted.kind]}`;
    const stopped = `Runner ${previous.previousOwner} stopped ${where}${previous.leaseExpiredAt ? ` (lease expired at ${utc(previous.leaseExpiredAt)})` : ""}.`;
    const now = new Date();
    await db.$transaction(async (tx) => {
      await tx.deployment.update({ where: { id: d.id }, data: { recoveredAt: now } });
      await appendLog(tx, d.id, null, `${stopped} ${runnerId() === this.owner ? "This runner" : `Runner ${this.owner}`} recovers the deployment.`, "warn");
      await recordAudit(tx, {
        action: "deployment.recovered",
        actor: SYSTEM_ACTOR,
        context: RUNNER_CONTEXT,
        target: { type: "Deployment", id: d.id },
        changes: {
          deployment: formatDeploymentNumber(d.number),
          service: d.service.name,
          version: d.version,
          status: d.status,
          previousRunner: previous.previousOwner,
          leaseExpiredAt: previous.leaseExpiredAt?.toISOString() ?? null,
          interruptedStep: interrupted?.kind ?? null,
          recoveredBy: this.owner,
        },
      });
    });
    for (const s of this.steps.filter((x) => x.status === "RUNNING")) {
      await this.setStep(s, { status: "FAILED", finishedAt: now, summary: `Interrupted: runner ${previous.previousOwner} stopped.` });
    }
    if (d.status === "ROLLING_BACK") {
      return this.rollBack({ reasonText: `${stopped} Finishing the rollback.`, switchStarted: true });
    }
    await this.skipPending();
    await this.refreshRollbackRequest();
    const switchStarted = this.started("SWITCH");
    if (switchStarted || this.rollbackRequested) {
      const extra = this.rollbackRequested ? ` ${await this.rollbackRequestText()}` : "";
      return this.rollBack({ reasonText: `${stopped}${extra}`, switchStarted });
    }
    const live = await this.readLiveSafe();
    if (!("error" in live) && live.colour !== d.fromColour && d.fromColour) {
      // Traffic is not where it was before the deployment: put it back on the known-good colour.
      return this.rollBack({ reasonText: `${stopped} Traffic reads back on ${colourWord(live.colour)}, not ${d.fromColour}.`, switchStarted: true });
    }
    return this.end("RUNNING", "FAILED", `${stopped} ${d.toColour} never received traffic; ${trafficText(live)}.`, live, false);
  }
}
