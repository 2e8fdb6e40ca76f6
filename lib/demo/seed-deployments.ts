import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { recordAudit } from "../audit/record.ts";
import type { Colour, Db, DeploymentStepKind } from "../db/client.ts";
import { DEPLOYMENT_STEPS } from "../deployments/types.ts";
import { demoBackendUrl, type DemoBackendConfig } from "./backends.ts";

/*
 * The demo's deployment side: a COMMAND deployment target on every service a demo change deploys
 * to, pointing at the two demo backends (lib/demo/backends.ts) with commands that really act on
 * them (scripts/demo-target.mjs), and a past deployment for the closed demo change so the history
 * pages have something to show.
 */

const SEED_ACTOR = { id: null, label: "demo seed" };
const NO_REQUEST = { ip: "", userAgent: "npm run demo" };
const TX_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

/** The services the demo's change requests are for: each gets a demo target. */
export const DEMO_TARGET_SERVICES: { name: string; environment: "PRODUCTION" | "STAGING" }[] = [
  { name: "payments-api", environment: "PRODUCTION" },
  { name: "checkout-web", environment: "PRODUCTION" },
  { name: "identity", environment: "PRODUCTION" },
  { name: "orders-service", environment: "PRODUCTION" },
  { name: "search", environment: "PRODUCTION" },
  { name: "notifications", environment: "PRODUCTION" },
  { name: "reporting", environment: "STAGING" },
];

/** Health and validation settings that make a demo deployment take ~10-15 s end to end. */
export const DEMO_TARGET_TIMING = {
  healthPath: "/health",
  healthSuccesses: 3,
  healthIntervalMs: 500,
  healthTimeoutMs: 15_000,
  validationWindowMs: 5_000,
  validationIntervalMs: 250,
  maxErrorRatePct: 1,
  maxP95LatencyMs: 500,
} as const;

const q = (s: string) => JSON.stringify(s);
const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** The COMMAND driver's settings for the demo backends (shell commands, run with the OPS_* environment). */
export function demoDriverConfig(backends: DemoBackendConfig): {
  deployCommand: string;
  switchCommand: string;
  statusCommand: string;
  preflightCommand: string;
  timeoutMs: number;
} {
  const script = path.resolve(/*turbopackIgnore: true*/ process.cwd(), "scripts", "demo-target.mjs");
  const command = (verb: string) => `${q(process.execPath)} ${q(script)} ${verb} --state ${q(backends.stateDir)}`;
  return {
    preflightCommand: command("preflight"),
    deployCommand: command("deploy"),
    switchCommand: command("switch"),
    statusCommand: command("status"),
    timeoutMs: 30_000,
  };
}

function liveFileOf(backends: DemoBackendConfig, service: { name: string; environment: string }): string {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, "-");
  return path.join(backends.stateDir, `live-${slug(service.name)}-${slug(service.environment)}`);
}

/**
 * Creates the demo targets that are missing; a demo target whose backends moved (other ports or
 * data directory) is pointed at the current ones. Anything an admin configured differently is left
 * alone. Idempotent: a second run with the same backends changes nothing. Returns how many it wrote.
 */
export async function seedDemoTargets(db: Db, backends: DemoBackendConfig): Promise<number> {
  const config = demoDriverConfig(backends);
  const wanted = {
    driver: "COMMAND" as const,
    blueUrl: demoBackendUrl(backends, "BLUE"),
    greenUrl: demoBackendUrl(backends, "GREEN"),
    ...DEMO_TARGET_TIMING,
    driverConfig: JSON.stringify(config),
  };
  let written = 0;
  for (const s of DEMO_TARGET_SERVICES) {
    const service = await db.service.findUnique({
      where: { name_environment: s },
      select: { id: true, deploymentTarget: { select: { driver: true, blueUrl: true, greenUrl: true, driverConfig: true } } },
    });
    if (!service) continue;
    const existing = service.deploymentTarget;
    if (existing) {
      const isDemo = existing.driver === "COMMAND" && existing.driverConfig.includes("demo-target.mjs");
      const same = existing.blueUrl === wanted.blueUrl && existing.greenUrl === wanted.greenUrl && existing.driverConfig === wanted.driverConfig;
      if (!isDemo || same) continue;
    }
    await db.$transaction(async (tx) => {
      await tx.deploymentTarget.upsert({ where: { serviceId: service.id }, create: { serviceId: service.id, ...wanted }, update: wanted });
      await recordAudit(tx, {
        action: "deployment.target_saved",
        actor: SEED_ACTOR,
        context: NO_REQUEST,
        target: { type: "Service", id: service.id },
        changes: { driver: "COMMAND", blueUrl: wanted.blueUrl, greenUrl: wanted.greenUrl, ...DEMO_TARGET_TIMING, driverConfig: config },
      });
    }, TX_OPTIONS);
    written++;
  }
  return written;
}

type StepRecord = { kind: DeploymentStepKind; ms: number; summary: string; detail: Record<string, unknown>; log: string[] };

/**
 * A past, successful blue-green deployment of a demo change (the closed one), with every step's
 * figures and log, as the runner would have written them: history pages and the change's review
 * have something real to show. Also makes the colour it went live on the live one on the demo
 * target. Call it once, right after the change reached SCHEDULED; it sets the change DEPLOYED.
 */
export async function seedPastDeployment(
  db: Db,
  backends: DemoBackendConfig,
  input: { changeId: string; triggeredById: string; startedAt: Date },
): Promise<void> {
  const change = await db.changeRequest.findUniqueOrThrow({
    where: { id: input.changeId },
    select: { id: true, version: true, serviceId: true, service: { select: { name: true, environment: true } } },
  });
  const colour: Colour = "BLUE";
  const blueUrl = demoBackendUrl(backends, "BLUE");
  const t = DEMO_TARGET_TIMING;
  const totalMs = 900 + 2100 + 1100 + 400 + t.validationWindowMs + 300;
  const switchedAfterMs = 900 + 2100 + 1100 + 400;
  const backupVerifiedAt = new Date(input.startedAt.getTime() - 6 * 3_600_000);
  // Summaries and figures in the shapes lib/deployments/runner.ts writes (probe.ts's results).
  const steps: StepRecord[] = [
    {
      kind: "PREFLIGHT",
      ms: 900,
      summary: `Gates hold; backup of ${utc(backupVerifiedAt)} confirmed; nothing live (read back).`,
      detail: {
        window: { start: input.startedAt.toISOString(), end: new Date(input.startedAt.getTime() + 3_600_000).toISOString() },
        freezeOverridden: false,
        backup: { verifiedAt: backupVerifiedAt.toISOString(), link: "https://backups.example.com/verify/20931", recordedBy: "Omar Operator" },
        liveBefore: null,
        durationMs: 900,
      },
      log: [
        "Gates hold: the change is deploying, inside its window, no freeze.",
        `Backup confirmed: backup of ${utc(backupVerifiedAt)} verified (https://backups.example.com/verify/20931).`,
        "Live colour read back: nothing.",
      ],
    },
    {
      kind: "DEPLOY",
      ms: 2100,
      summary: `${change.version} deployed to BLUE in 2.1 s.`,
      detail: { colour, version: change.version, deployMs: 2100, durationMs: 2100 },
      log: [`installed ${change.version} on blue`, `blue at ${blueUrl} reports version ${change.version}`],
    },
    {
      kind: "HEALTH_CHECK",
      ms: 1100,
      summary: `${t.healthSuccesses}/${t.healthSuccesses} health checks passed in 1.1 s.`,
      detail: {
        url: `${blueUrl}${t.healthPath}`,
        ok: true,
        attempts: t.healthSuccesses,
        consecutive: t.healthSuccesses,
        required: t.healthSuccesses,
        elapsedMs: 1100,
        latenciesMs: [4, 3, 3],
        lastError: null,
        stopped: false,
        durationMs: 1100,
      },
      log: [1, 2, 3].map((n) => `health check ${n}/${t.healthSuccesses}: 200 in ${n === 1 ? 4 : 3} ms`),
    },
    {
      kind: "SWITCH",
      ms: 400,
      summary: `Traffic on BLUE (read back), ${switchedAfterMs / 1000} s after the start.`,
      detail: { from: null, to: colour, readBack: colour, switchMs: 400, timeToLiveMs: switchedAfterMs, durationMs: 400 },
      log: ["traffic for payments-api (production) now goes to blue", "Live colour read back: blue."],
    },
    {
      kind: "VALIDATE",
      ms: t.validationWindowMs,
      summary: `Error rate 0% (max ${t.maxErrorRatePct}%), p95 6 ms (max ${t.maxP95LatencyMs} ms), 20 samples over 5 s.`,
      detail: {
        url: `${blueUrl}${t.healthPath}`,
        ok: true,
        samples: 20,
        errors: 0,
        errorRatePct: 0,
        p50Ms: 3,
        p95Ms: 6,
        maxMs: 7,
        maxErrorRatePct: t.maxErrorRatePct,
        maxP95LatencyMs: t.maxP95LatencyMs,
        windowMs: t.validationWindowMs,
        elapsedMs: t.validationWindowMs,
        reasons: [],
        stopped: false,
        durationMs: t.validationWindowMs,
      },
      log: [`Monitoring validation passed: error rate 0%, p95 6 ms over 20 samples.`],
    },
    {
      kind: "DONE",
      ms: 300,
      summary: "BLUE live (read back).",
      detail: { readBack: colour, kept: null, timeToLiveMs: switchedAfterMs, totalMs, durationMs: 300 },
      log: ["Live colour read back: blue."],
    },
  ];
  if (steps.map((s) => s.kind).join() !== DEPLOYMENT_STEPS.join()) throw new Error("demo deployment steps are out of date");

  const finishedAt = new Date(input.startedAt.getTime() + steps.reduce((sum, s) => sum + s.ms, 0));
  let cursor = input.startedAt.getTime();
  const timed = steps.map((s) => {
    const startedAt = new Date(cursor);
    cursor += s.ms;
    return { ...s, startedAt, finishedAt: new Date(cursor) };
  });
  const liveAt = timed.find((s) => s.kind === "SWITCH")?.finishedAt ?? finishedAt;

  await db.$transaction(async (tx) => {
    const counter = await tx.counter.upsert({ where: { name: "deployment" }, create: { name: "deployment", value: 1 }, update: { value: { increment: 1 } } });
    const deployment = await tx.deployment.create({
      data: {
        number: counter.value,
        changeId: change.id,
        serviceId: change.serviceId,
        version: change.version,
        status: "SUCCEEDED",
        fromColour: null,
        toColour: colour,
        liveColour: colour,
        triggeredById: input.triggeredById,
        idempotencyKey: "demo-seed",
        source: "ui",
        outcome: `${change.service.name} ${change.version} is live on BLUE (read back), ${switchedAfterMs / 1000} s after the start.`,
        startedAt: input.startedAt,
        liveAt,
        finishedAt,
        steps: {
          create: timed.map((s, i) => ({
            position: i + 1,
            kind: s.kind,
            status: "SUCCEEDED" as const,
            startedAt: s.startedAt,
            finishedAt: s.finishedAt,
            summary: s.summary,
            detail: JSON.stringify(s.detail),
          })),
        },
      },
      select: { id: true, number: true },
    });
    await tx.deploymentLog.createMany({
      data: timed.flatMap((s) => s.log.map((message, i) => ({ deploymentId: deployment.id, step: s.kind, at: new Date(s.startedAt.getTime() + i * 50), message }))),
    });
    await tx.changeRequest.update({ where: { id: change.id }, data: { status: "DEPLOYED", revision: { increment: 1 } } });
    await tx.deploymentTarget.updateMany({ where: { serviceId: change.serviceId }, data: { liveColour: colour, liveCheckedAt: finishedAt } });
    await recordAudit(tx, {
      action: "deployment.succeeded",
      actor: SEED_ACTOR,
      context: NO_REQUEST,
      target: { type: "Deployment", id: deployment.id },
      changes: { number: deployment.number, change: change.id, version: change.version, liveColour: colour, note: "demo history, written by the demo seed" },
    });
  }, TX_OPTIONS);

  // The target is the truth about what is live: the demo backends' state says blue too.
  mkdirSync(backends.stateDir, { recursive: true });
  writeFileSync(path.join(backends.stateDir, "blue.version"), `${change.version}\n`);
  writeFileSync(liveFileOf(backends, change.service), "blue\n");
}
