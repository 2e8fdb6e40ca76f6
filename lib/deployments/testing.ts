import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { recordAudit } from "../audit/record.ts";
import { approveChange, createChange, recordEvidence, signUat, submitChange } from "../changes/service.ts";
import { createInput, makeService } from "../changes/testing.ts";
import { mutateChange } from "../changes/store.ts";
import { db, type Colour, type DeploymentDriverKind } from "../db/client.ts";
import { makeUser, TEST_CONTEXT } from "../testing/actors.ts";
import { leaseMs, runnerId } from "./loop.ts";
import { formatDeploymentNumber } from "./number.ts";
import { DEPLOYMENT_STEPS, otherColour } from "./types.ts";

/*
 * Test fixtures for the deployments domain (vitest files only). createRunningDeployment writes the
 * rows exactly as trigger.ts does after its gates passed, so runner tests and trigger tests agree
 * on the shape:
 *   - the change goes APPROVED -> DEPLOYING (through mutateChange, one transaction with the rest);
 *   - Deployment: number from Counter "deployment", status RUNNING, fromColour = target.liveColour,
 *     toColour = the other colour (BLUE when nothing is live), version = the change's version,
 *     lease owned by this process (runnerId()) until now + leaseMs();
 *   - six DeploymentStep rows PREFLIGHT..DONE at positions 1..6, all PENDING (a ROLLBACK step is
 *     appended later at the next position);
 *   - DeploymentTarget.activeDeploymentId = the deployment (compare-and-set on null);
 *   - audit deployment.triggered.
 */

export const ctx = TEST_CONTEXT;

export type TestTargetInput = {
  serviceId?: string;
  driver?: DeploymentDriverKind;
  driverConfig?: Record<string, unknown>;
  blueUrl?: string;
  greenUrl?: string;
  liveColour?: Colour | null;
  healthPath?: string;
  healthSuccesses?: number;
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  validationWindowMs?: number;
  validationIntervalMs?: number;
  maxErrorRatePct?: number;
  maxP95LatencyMs?: number;
};

/** A service (new unless serviceId is given) with a deployment target tuned for fast tests. */
export async function createTestTarget(input: TestTargetInput = {}) {
  const service = input.serviceId ? await db.service.findUniqueOrThrow({ where: { id: input.serviceId } }) : await makeService();
  const target = await db.deploymentTarget.create({
    data: {
      serviceId: service.id,
      driver: input.driver ?? "COMMAND",
      driverConfig: JSON.stringify(input.driverConfig ?? { deployCommand: "true", switchCommand: "true", statusCommand: "true", timeoutMs: 10_000 }),
      blueUrl: input.blueUrl ?? "http://127.0.0.1:9/blue",
      greenUrl: input.greenUrl ?? "http://127.0.0.1:9/green",
      liveColour: input.liveColour === undefined ? "BLUE" : input.liveColour,
      liveCheckedAt: new Date(),
      healthPath: input.healthPath ?? "/health",
      healthSuccesses: input.healthSuccesses ?? 2,
      healthIntervalMs: input.healthIntervalMs ?? 50,
      healthTimeoutMs: input.healthTimeoutMs ?? 2_000,
      validationWindowMs: input.validationWindowMs ?? 1_000,
      validationIntervalMs: input.validationIntervalMs ?? 50,
      maxErrorRatePct: input.maxErrorRatePct ?? 1,
      // Generous: a busy CI machine must not fail a healthy release; latency tests set their own.
      maxP95LatencyMs: input.maxP95LatencyMs ?? 2_000,
    },
  });
  return { service, target };
}

/** Requester (operator), release manager (triggers), one named stakeholder. */
export async function makeDeployCast() {
  const [requester, releaseManager, stakeholder] = await Promise.all([
    makeUser("OPERATOR", { name: "Olga Operator" }),
    makeUser("RELEASE_MANAGER", { name: "Reza Release" }),
    makeUser("STAKEHOLDER", { name: "Stella Stakeholder" }),
  ]);
  return { requester, releaseManager, stakeholder };
}

export type DeployCast = Awaited<ReturnType<typeof makeDeployCast>>;

/**
 * An APPROVED change of `serviceId` with a complete checklist (scan, performance, backup evidence,
 * the stakeholder's UAT and approval with the rollback plan acknowledged) whose window covers now.
 * The window is moved to now directly in the database (submitting needs a future window; the
 * approval is not made stale by it, as with the demo seed).
 */
export async function approvedChange(serviceId: string, options: { cast?: DeployCast; version?: string; type?: "NORMAL" | "EMERGENCY" } = {}) {
  const cast = options.cast ?? (await makeDeployCast());
  const { requester, stakeholder, releaseManager } = cast;
  const created = await createChange(
    requester,
    createInput({ serviceId, stakeholderIds: [stakeholder.id], version: options.version ?? "4.2.0", type: options.type ?? "NORMAL" }),
    ctx,
  );
  const changeId = created.id;
  await recordEvidence(requester, { changeId, item: "SECURITY_SCAN", result: "PASSED", summary: "0 high", link: "https://ci.example/scan/1" }, ctx);
  await recordEvidence(
    requester,
    { changeId, item: "PERFORMANCE_TEST", result: "PASSED", summary: "p95 80 ms at 200 rps", link: "https://ci.example/perf/1" },
    ctx,
  );
  await recordEvidence(
    requester,
    {
      changeId,
      item: "BACKUP_VERIFICATION",
      result: "PASSED",
      summary: "Restored to staging",
      link: "https://backups.example/snap/1",
      verifiedAt: new Date(Date.now() - 3_600_000).toISOString(),
    },
    ctx,
  );
  await submitChange(requester, { changeId }, ctx);
  await signUat(stakeholder, { changeId, result: "PASSED", notes: "Fine on staging." }, ctx);
  if (options.type === "EMERGENCY") {
    await approveChange(releaseManager, { changeId, comment: "", rollbackAcknowledged: true }, ctx);
  } else {
    await approveChange(stakeholder, { changeId, comment: "", rollbackAcknowledged: true }, ctx);
  }
  const change = await db.changeRequest.update({
    where: { id: changeId },
    data: { plannedStart: new Date(Date.now() - 5 * 60_000), plannedEnd: new Date(Date.now() + 60 * 60_000) },
  });
  if (change.status !== "APPROVED") throw new Error(`fixture: change is ${change.status}, not APPROVED`);
  return { change, cast };
}

export type RunningDeploymentOptions = {
  serviceId: string;
  cast?: DeployCast;
  /** An existing APPROVED/SCHEDULED change; a new approved one otherwise. */
  changeId?: string;
  version?: string;
  idempotencyKey?: string;
  /** Who holds the lease (default this process); null leaves it unclaimed. */
  leaseOwner?: string | null;
  leaseExpiresAt?: Date;
};

/** A RUNNING deployment with its six PENDING steps, holding the service: what trigger.ts leaves behind. */
export async function createRunningDeployment(options: RunningDeploymentOptions) {
  const cast = options.cast ?? (await makeDeployCast());
  const changeId = options.changeId ?? (await approvedChange(options.serviceId, { cast, version: options.version })).change.id;
  const triggeredBy = cast.releaseManager;
  const owner = options.leaseOwner === undefined ? runnerId() : options.leaseOwner;
  const deploymentId = await mutateChange(changeId, undefined, async (tx, change) => {
    if (change.status !== "APPROVED" && change.status !== "SCHEDULED") throw new Error(`fixture: change is ${change.status}`);
    const target = await tx.deploymentTarget.findUniqueOrThrow({ where: { serviceId: change.serviceId } });
    await tx.changeRequest.update({ where: { id: change.id }, data: { status: "DEPLOYING" } });
    const counter = await tx.counter.upsert({
      where: { name: "deployment" },
      create: { name: "deployment", value: 1 },
      update: { value: { increment: 1 } },
    });
    const fromColour = target.liveColour;
    const toColour = fromColour ? otherColour(fromColour) : "BLUE";
    const deployment = await tx.deployment.create({
      data: {
        number: counter.value,
        changeId: change.id,
        serviceId: change.serviceId,
        version: options.version ?? change.version,
        status: "RUNNING",
        fromColour,
        toColour,
        triggeredById: triggeredBy.id,
        idempotencyKey: options.idempotencyKey ?? `test-${counter.value}`,
        source: "ui",
        leaseOwner: owner,
        leaseExpiresAt: owner ? (options.leaseExpiresAt ?? new Date(Date.now() + leaseMs())) : null,
        steps: { create: DEPLOYMENT_STEPS.map((kind, i) => ({ position: i + 1, kind, status: "PENDING" as const })) },
      },
    });
    const taken = await tx.deploymentTarget.updateMany({
      where: { serviceId: change.serviceId, activeDeploymentId: null },
      data: { activeDeploymentId: deployment.id },
    });
    if (taken.count === 0) throw new Error("fixture: another deployment holds the service");
    await recordAudit(tx, {
      action: "deployment.triggered",
      actor: { id: triggeredBy.id, label: triggeredBy.email },
      context: ctx,
      target: { type: "Deployment", id: deployment.id },
      changes: {
        deployment: formatDeploymentNumber(deployment.number),
        service: change.service.name,
        version: deployment.version,
        from: fromColour,
        to: toColour,
        status: { from: change.status, to: "DEPLOYING" },
      },
    });
    return deployment.id;
  });
  const deployment = await db.deployment.findUniqueOrThrow({ where: { id: deploymentId }, include: { steps: { orderBy: { position: "asc" } } } });
  return { deployment, changeId, cast };
}

// ---- real blue and green backends, and a COMMAND driver config that keeps the live colour in a file ----

export type Behaviour = {
  /** Status of every answer (default 200). */
  status?: number;
  /** Delay before answering. */
  delayMs?: number;
  /** After this many requests (counted from when the behaviour was set), answer failStatus instead. */
  failAfter?: number | null;
  failStatus?: number;
};

export type ColourServer = {
  colour: Colour;
  url: string;
  /** Requests and TCP connections since start. */
  readonly requests: number;
  readonly connections: number;
  behave(b: Behaviour): void;
  close(): Promise<void>;
};

/** A small HTTP server standing in for one colour of a service, on 127.0.0.1:`port`; healthy until told otherwise. */
export async function startColourServer(colour: Colour, port: number): Promise<ColourServer> {
  let behaviour: Behaviour = {};
  let sinceSet = 0;
  let requests = 0;
  let connections = 0;
  const server = http.createServer((req, res) => {
    requests++;
    sinceSet++;
    const failing = behaviour.failAfter != null && sinceSet > behaviour.failAfter;
    const status = failing ? (behaviour.failStatus ?? 500) : (behaviour.status ?? 200);
    const answer = () => {
      res.writeHead(status, { "Content-Type": "application/json", "X-Colour": colour.toLowerCase() });
      res.end(JSON.stringify({ colour: colour.toLowerCase(), ok: status < 400 }));
    };
    if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
    else answer();
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    colour,
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get connections() {
      return connections;
    },
    behave(b) {
      behaviour = b;
      sinceSet = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type CommandTarget = {
  dir: string;
  driverConfig: Record<string, unknown>;
  /** The live colour as the status command sees it ("blue", "green" or ""). */
  live(): string;
  setLive(colour: "blue" | "green" | ""): void;
  /** Every command run, one line each: "<command> <colour> <version> <url>". */
  calls(): string[];
};

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A COMMAND driver config of real shell commands: the live colour is a file the switch command
 * writes (atomically) and the status command prints; every command appends what it was asked
 * to a calls file. `extra` replaces or adds commands (e.g. a slow or failing one); as a function it
 * gets the files' paths, shell-quoted.
 */
export function commandTarget(
  initialLive: "blue" | "green" | "" = "blue",
  extra: Record<string, unknown> | ((files: { dir: string; live: string; calls: string }) => Record<string, unknown>) = {},
): CommandTarget {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ops-deploy-"));
  const live = path.join(dir, "live");
  const calls = path.join(dir, "calls");
  const more = typeof extra === "function" ? extra({ dir, live: q(live), calls: q(calls) }) : extra;
  writeFileSync(live, initialLive ? `${initialLive}\n` : "");
  writeFileSync(calls, "");
  const record = (name: string) => `echo "${name} $OPS_COLOUR $OPS_VERSION $OPS_URL $OPS_SERVICE $OPS_ENVIRONMENT" >> ${q(calls)}`;
  return {
    dir,
    driverConfig: {
      preflightCommand: `${record("preflight")} && test -w ${q(dir)}`,
      deployCommand: `${record("deploy")} && echo "deploying $OPS_VERSION to $OPS_COLOUR" && echo "unpacked to $OPS_COLOUR" >&2`,
      switchCommand: `${record("switch")} && printf '%s\\n' "$OPS_COLOUR" > ${q(`${live}.tmp`)} && mv ${q(`${live}.tmp`)} ${q(live)}`,
      statusCommand: `cat ${q(live)}`,
      timeoutMs: 10_000,
      ...more,
    },
    live: () => readFileSync(live, "utf8").trim(),
    setLive: (colour) => writeFileSync(live, colour ? `${colour}\n` : ""),
    calls: () => readFileSync(calls, "utf8").split("\n").filter(Boolean),
  };
}
