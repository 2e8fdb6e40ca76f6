import { z } from "zod";
import type { CurrentUser } from "../auth/sessions.ts";
import { formatChangeNumber } from "../changes/number.ts";
import {
  db,
  type Colour,
  type Db,
  type DeploymentDriverKind,
  type DeploymentStatus,
  type DeploymentStepKind,
  type DeploymentStepStatus,
  type Prisma,
} from "../db/client.ts";
import { hasFreshStepUp } from "../auth/step-up.ts";
import { loadChange } from "../changes/store.ts";
import { AppError } from "../errors.ts";
import { assertPermission } from "../rbac/assert.ts";
import { blankAsUndefined as optional, multiValue } from "../validation/query-params.ts";
import { isActiveDeployment } from "./labels.ts";
import { evaluateGates } from "./gates.ts";
import { formatDeploymentNumber } from "./number.ts";
import type { GateResult } from "./types.ts";

/*
 * The read side of deployments: the history (across services, per service, per change), one
 * deployment with its steps and log (and the part of the log after a given line, for live
 * polling), and a service's target with the colour last read back from it.
 */

export const DEPLOYMENT_STATUSES = ["RUNNING", "ROLLING_BACK", "SUCCEEDED", "ROLLED_BACK", "FAILED"] as const satisfies readonly DeploymentStatus[];

/** The history's filters, with the same names in the page's GET form and a query string. */
export const ZDeploymentQuery = z.object({
  service: optional(z.string().trim().max(64, "Service id is at most 64 characters.")),
  status: multiValue(z.enum(DEPLOYMENT_STATUSES, { message: "Choose statuses from the list." })).optional().default([]),
  change: optional(z.string().trim().max(64, "Change id is at most 64 characters.")),
});
export type TDeploymentQuery = z.infer<typeof ZDeploymentQuery>;

export const DEPLOYMENT_QUERY_KEYS = ["service", "status"] as const;

/** The query as URL parameters (for pagination links), defaults left out. */
export function deploymentQueryParams(query: TDeploymentQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.service) params.set("service", query.service);
  for (const s of query.status) params.append("status", s);
  if (query.change) params.set("change", query.change);
  return params;
}

const ROW_SELECT = {
  id: true,
  number: true,
  status: true,
  version: true,
  fromColour: true,
  toColour: true,
  liveColour: true,
  source: true,
  outcome: true,
  startedAt: true,
  liveAt: true,
  finishedAt: true,
  service: { select: { id: true, name: true, environment: true } },
  change: { select: { id: true, number: true, title: true } },
  triggeredBy: { select: { name: true, email: true } },
} as const satisfies Prisma.DeploymentSelect;

type SelectedRow = Prisma.DeploymentGetPayload<{ select: typeof ROW_SELECT }>;

export type DeploymentListRow = {
  id: string;
  number: number;
  /** DEP-000123 */
  reference: string;
  status: DeploymentStatus;
  version: string;
  service: { id: string; name: string; environment: "PRODUCTION" | "STAGING" };
  change: { id: string; number: number; reference: string; title: string };
  triggeredBy: { name: string; email: string };
  /** "ui" or "api". */
  source: string;
  fromColour: Colour | null;
  toColour: Colour;
  /** Read back from the target when the deployment finished (null while it runs). */
  liveColour: Colour | null;
  outcome: string;
  startedAt: Date;
  liveAt: Date | null;
  finishedAt: Date | null;
  /** Trigger to traffic on the new colour; null if traffic never moved. */
  triggerToLiveMs: number | null;
  /** Trigger to the end; null while it runs. */
  totalMs: number | null;
};

function toRow(d: SelectedRow): DeploymentListRow {
  return {
    ...d,
    reference: formatDeploymentNumber(d.number),
    change: { ...d.change, reference: formatChangeNumber(d.change.number) },
    triggerToLiveMs: d.liveAt ? d.liveAt.getTime() - d.startedAt.getTime() : null,
    totalMs: d.finishedAt ? d.finishedAt.getTime() - d.startedAt.getTime() : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Keyset pagination, newest first, like lib/changes/list.ts: a cursor is the last row's startedAt
// and id (startedAt repeats; the id breaks ties), so every page costs what the first one costs.

type Cursor = { startedAt: Date; id: string };

const BAD_CURSOR = "This page link no longer matches the list. Start again from the first page.";

export function encodeDeploymentCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.startedAt.toISOString(), c.id]), "utf8").toString("base64url");
}

/** Throws AppError invalid_input for a malformed cursor. */
export function decodeDeploymentCursor(s: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
  } catch {
    throw new AppError("invalid_input", BAD_CURSOR, { cursor: BAD_CURSOR });
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new AppError("invalid_input", BAD_CURSOR, { cursor: BAD_CURSOR });
  const [at, id] = parsed as unknown[];
  const startedAt = typeof at === "string" ? new Date(at) : new Date(NaN);
  if (Number.isNaN(startedAt.getTime()) || typeof id !== "string" || id.length > 64) {
    throw new AppError("invalid_input", BAD_CURSOR, { cursor: BAD_CURSOR });
  }
  return { startedAt, id };
}

/** Rows after the cursor in newest-first order (`older`), or before it. */
function beyond(c: Cursor, older: boolean): Prisma.DeploymentWhereInput {
  return older
    ? { AND: [{ startedAt: { lte: c.startedAt } }, { OR: [{ startedAt: { lt: c.startedAt } }, { id: { lt: c.id } }] }] }
    : { AND: [{ startedAt: { gte: c.startedAt } }, { OR: [{ startedAt: { gt: c.startedAt } }, { id: { gt: c.id } }] }] };
}

/** Each filter is served by an index: service -> [serviceId, startedAt], change -> [changeId, startedAt], status -> [status, …]. */
function deploymentWhere(query: TDeploymentQuery): Prisma.DeploymentWhereInput {
  const and: Prisma.DeploymentWhereInput[] = [];
  if (query.service) and.push({ serviceId: query.service });
  if (query.change) and.push({ changeId: query.change });
  if (query.status.length === 1) and.push({ status: query.status[0] });
  else if (query.status.length > 1) and.push({ status: { in: query.status } });
  return and.length ? { AND: and } : {};
}

export type DeploymentPage = {
  deployments: DeploymentListRow[];
  /** Pass as `after` for older deployments; null on the last page. */
  next: string | null;
  /** Pass as `before` for newer ones; null on the first page. */
  prev: string | null;
};

export const DEPLOYMENT_PAGE_SIZE = 50;

/** One page of the history, newest first (no permission check: callers have checked deployment.read). */
export async function deploymentPage(
  query: TDeploymentQuery,
  cursor: { after?: string; before?: string } = {},
  size = DEPLOYMENT_PAGE_SIZE,
  client: Db = db,
): Promise<DeploymentPage> {
  const after = cursor.after ? decodeDeploymentCursor(cursor.after) : null;
  const before = !after && cursor.before ? decodeDeploymentCursor(cursor.before) : null;
  const where = deploymentWhere(query);
  const toCursor = (r: SelectedRow) => encodeDeploymentCursor({ startedAt: r.startedAt, id: r.id });
  if (before) {
    const rows = await client.deployment.findMany({
      where: { AND: [where, beyond(before, false)] },
      select: ROW_SELECT,
      orderBy: [{ startedAt: "asc" }, { id: "asc" }],
      take: size + 1,
    });
    const page = rows.slice(0, size).reverse();
    return {
      deployments: page.map(toRow),
      next: page.length ? toCursor(page[page.length - 1]!) : null,
      prev: rows.length > size && page.length ? toCursor(page[0]!) : null,
    };
  }
  const rows = await client.deployment.findMany({
    where: after ? { AND: [where, beyond(after, true)] } : where,
    select: ROW_SELECT,
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: size + 1,
  });
  const page = rows.slice(0, size);
  return {
    deployments: page.map(toRow),
    next: rows.length > size ? toCursor(page[page.length - 1]!) : null,
    prev: after && page.length ? toCursor(page[0]!) : null,
  };
}

/** The deployment history for a signed-in user or an API token's user. */
export async function listDeployments(
  user: Pick<CurrentUser, "role">,
  query: TDeploymentQuery,
  cursor: { after?: string; before?: string } = {},
  size = DEPLOYMENT_PAGE_SIZE,
): Promise<DeploymentPage> {
  assertPermission(user, "deployment.read");
  return deploymentPage(query, cursor, Math.min(Math.max(1, size), 200));
}

/** The latest deployments of one change or one service, newest first (for the change and service pages). */
export async function recentDeployments(where: { changeId: string } | { serviceId: string }, take = 10, client: Db = db): Promise<DeploymentListRow[]> {
  const rows = await client.deployment.findMany({ where, select: ROW_SELECT, orderBy: [{ startedAt: "desc" }, { id: "desc" }], take });
  return rows.map(toRow);
}

/** Every service that has a deployment target, for the history's service filter. */
export async function deploymentFilterOptions(client: Db = db): Promise<{ services: { id: string; name: string; environment: "PRODUCTION" | "STAGING" }[] }> {
  const services = await client.service.findMany({
    select: { id: true, name: true, environment: true },
    orderBy: [{ name: "asc" }, { environment: "asc" }],
  });
  return { services };
}

// ---------------------------------------------------------------------------------------------
// One deployment: steps and log.

export type DeploymentStepView = {
  id: string;
  position: number;
  kind: DeploymentStepKind;
  status: DeploymentStepStatus;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Start to end, or start to now while it runs; null before it starts. */
  durationMs: number | null;
  summary: string;
  /** The step's figures (latencies, attempts, error rate); {} when none or unreadable. */
  detail: Record<string, unknown>;
};

export type DeploymentLogLine = {
  id: number;
  at: Date;
  step: DeploymentStepKind | null;
  level: "info" | "warn" | "error";
  message: string;
};

export type DeploymentProgress = {
  status: DeploymentStatus;
  /** RUNNING or ROLLING_BACK: the runner is still at work, poll again. */
  active: boolean;
  liveColour: Colour | null;
  outcome: string;
  liveAt: Date | null;
  finishedAt: Date | null;
  rollbackRequestedAt: Date | null;
  steps: DeploymentStepView[];
  /** Log lines after the requested one, oldest first, at most LOG_BATCH. */
  logs: DeploymentLogLine[];
  /** The last line's id (the `after` of the next poll), or the requested `after` when nothing is new. */
  lastLogId: number;
  /** More lines are waiting beyond this batch: poll again right away. */
  moreLogs: boolean;
};

export type DeploymentDetail = DeploymentListRow &
  DeploymentProgress & {
    rollbackReason: string;
    rollbackRequestedBy: { name: string; email: string } | null;
    recoveredAt: Date | null;
    /** The colours' base URLs from the service's target (null when the target was removed). */
    urls: Record<Colour, string> | null;
    /** This is the service's latest deployment (only that one can be rolled back after success). */
    latestOfService: boolean;
    /** The colour the target reported live at its last read-back, and when. */
    targetLive: { colour: Colour | null; checkedAt: Date | null } | null;
  };

export const LOG_BATCH = 500;

const STEP_SELECT = {
  id: true,
  position: true,
  kind: true,
  status: true,
  startedAt: true,
  finishedAt: true,
  summary: true,
  detail: true,
} as const satisfies Prisma.DeploymentStepSelect;

function parseDetail(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function toStep(s: Prisma.DeploymentStepGetPayload<{ select: typeof STEP_SELECT }>, now: Date): DeploymentStepView {
  return {
    ...s,
    detail: parseDetail(s.detail),
    durationMs: s.startedAt ? (s.finishedAt ?? now).getTime() - s.startedAt.getTime() : null,
  };
}

const LEVELS = new Set(["info", "warn", "error"]);

/**
 * Log lines after `after` (a log id; 0 for the start), oldest first. With `tail`, the last `limit`
 * lines instead (a first page load of a long log starts at its end).
 */
async function logLines(deploymentId: string, after: number, limit: number, client: Db, tail = false) {
  const rows = await client.deploymentLog.findMany({
    where: { deploymentId, id: { gt: after } },
    select: { id: true, at: true, step: true, level: true, message: true },
    orderBy: { id: tail ? "desc" : "asc" },
    take: limit + 1,
  });
  const more = !tail && rows.length > limit;
  const lines = rows.slice(0, limit);
  if (tail) lines.reverse();
  return {
    logs: lines.map((l) => ({ ...l, level: (LEVELS.has(l.level) ? l.level : "info") as DeploymentLogLine["level"] })),
    more,
  };
}

/**
 * What a watching page needs every second: status, every step, and the log lines after `after`.
 * Null when there is no such deployment. No permission check: callers have checked deployment.read.
 */
export async function deploymentProgress(number: number, after = 0, client: Db = db, now = new Date()): Promise<DeploymentProgress | null> {
  const d = await client.deployment.findUnique({
    where: { number },
    select: {
      id: true,
      status: true,
      liveColour: true,
      outcome: true,
      liveAt: true,
      finishedAt: true,
      rollbackRequestedAt: true,
      steps: { select: STEP_SELECT, orderBy: { position: "asc" } },
    },
  });
  if (!d) return null;
  const { logs, more } = await logLines(d.id, after, LOG_BATCH, client);
  return {
    status: d.status,
    active: isActiveDeployment(d.status),
    liveColour: d.liveColour,
    outcome: d.outcome,
    liveAt: d.liveAt,
    finishedAt: d.finishedAt,
    rollbackRequestedAt: d.rollbackRequestedAt,
    steps: d.steps.map((s) => toStep(s, now)),
    logs,
    lastLogId: logs.length ? logs[logs.length - 1]!.id : after,
    moreLogs: more,
  };
}

/** Lines of the log shown on a first page load (its last ones); polling continues from there. */
export const INITIAL_LOG_LINES = 2_000;

/** One deployment with its steps and (the end of) its log; null when there is none with that number. */
export async function getDeploymentDetail(
  user: Pick<CurrentUser, "role">,
  number: number,
  client: Db = db,
  now = new Date(),
): Promise<DeploymentDetail | null> {
  assertPermission(user, "deployment.read");
  const d = await client.deployment.findUnique({
    where: { number },
    select: {
      ...ROW_SELECT,
      rollbackRequestedAt: true,
      rollbackRequestedById: true,
      rollbackReason: true,
      recoveredAt: true,
      serviceId: true,
      steps: { select: STEP_SELECT, orderBy: { position: "asc" } },
    },
  });
  if (!d) return null;
  const [log, latest, target, requester] = await Promise.all([
    logLines(d.id, 0, INITIAL_LOG_LINES, client, true),
    client.deployment.findFirst({ where: { serviceId: d.serviceId }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], select: { id: true } }),
    client.deploymentTarget.findUnique({
      where: { serviceId: d.serviceId },
      select: { blueUrl: true, greenUrl: true, liveColour: true, liveCheckedAt: true },
    }),
    d.rollbackRequestedById
      ? client.user.findUnique({ where: { id: d.rollbackRequestedById }, select: { name: true, email: true } })
      : Promise.resolve(null),
  ]);
  const { steps, rollbackRequestedById: _by, serviceId: _s, ...row } = d;
  return {
    ...toRow(row),
    active: isActiveDeployment(d.status),
    rollbackRequestedAt: d.rollbackRequestedAt,
    rollbackReason: d.rollbackReason,
    rollbackRequestedBy: requester,
    recoveredAt: d.recoveredAt,
    steps: steps.map((s) => toStep(s, now)),
    logs: log.logs,
    lastLogId: log.logs.length ? log.logs[log.logs.length - 1]!.id : 0,
    moreLogs: false,
    urls: target ? { BLUE: target.blueUrl, GREEN: target.greenUrl } : null,
    latestOfService: latest?.id === d.id,
    targetLive: target ? { colour: target.liveColour, checkedAt: target.liveCheckedAt } : null,
  };
}

/**
 * Whether the screen offers "Roll back" (the server decides again when asked): a running
 * deployment can be aborted and rolled back until a rollback is requested; a succeeded one while
 * it is the service's latest, something was live before it, and its colour is the one read back live.
 */
export function rollbackOffered(
  d: Pick<DeploymentDetail, "status" | "rollbackRequestedAt" | "latestOfService" | "fromColour" | "toColour" | "targetLive">,
): boolean {
  if (d.status === "RUNNING") return d.rollbackRequestedAt === null;
  // A first deployment (nothing was live before it) has no colour to go back to.
  if (d.status === "SUCCEEDED") return d.latestOfService && d.fromColour !== null && d.targetLive?.colour === d.toColour;
  return false;
}

// ---------------------------------------------------------------------------------------------
// A service's deployment target.

export type DeploymentTargetView = {
  serviceId: string;
  driver: DeploymentDriverKind;
  urls: Record<Colour, string>;
  healthPath: string;
  health: { successes: number; intervalMs: number; timeoutMs: number };
  validation: { windowMs: number; intervalMs: number; maxErrorRatePct: number; maxP95LatencyMs: number };
  /** The driver's settings (no secrets live here); {} when unreadable. */
  driverConfig: Record<string, unknown>;
  /** The webhook driver has a signing secret stored (never shown). */
  hasWebhookSecret: boolean;
  /** As read back from the target at liveCheckedAt; null when nothing was live or never read. */
  liveColour: Colour | null;
  liveCheckedAt: Date | null;
  /** The deployment holding the service now, if any. */
  activeDeployment: { number: number; reference: string; status: DeploymentStatus; version: string } | null;
  updatedAt: Date;
};

/** The service's target, or null when none is configured. No permission check (the service page checks service.read). */
export async function getDeploymentTargetView(serviceId: string, client: Db = db): Promise<DeploymentTargetView | null> {
  const t = await client.deploymentTarget.findUnique({ where: { serviceId } });
  if (!t) return null;
  const active = t.activeDeploymentId
    ? await client.deployment.findUnique({ where: { id: t.activeDeploymentId }, select: { number: true, status: true, version: true } })
    : null;
  return {
    serviceId: t.serviceId,
    driver: t.driver,
    urls: { BLUE: t.blueUrl, GREEN: t.greenUrl },
    healthPath: t.healthPath,
    health: { successes: t.healthSuccesses, intervalMs: t.healthIntervalMs, timeoutMs: t.healthTimeoutMs },
    validation: {
      windowMs: t.validationWindowMs,
      intervalMs: t.validationIntervalMs,
      maxErrorRatePct: t.maxErrorRatePct,
      maxP95LatencyMs: t.maxP95LatencyMs,
    },
    driverConfig: parseDetail(t.driverConfig),
    hasWebhookSecret: t.webhookSecretSealed !== "",
    liveColour: t.liveColour,
    liveCheckedAt: t.liveCheckedAt,
    activeDeployment: active ? { ...active, reference: formatDeploymentNumber(active.number) } : null,
    updatedAt: t.updatedAt,
  };
}

/** Whether the service can be deployed by the portal at all (it has a target). */
export async function hasDeploymentTarget(serviceId: string, client: Db = db): Promise<boolean> {
  return (await client.deploymentTarget.count({ where: { serviceId } })) > 0;
}

/**
 * Every deployment gate for `user` deploying the change now, passed or not, for the change page's
 * list before the Deploy button (the trigger evaluates them again in its transaction).
 */
export async function deploymentGatesFor(user: CurrentUser, changeId: string, client: Db = db): Promise<GateResult[]> {
  const change = await loadChange(client, changeId);
  return evaluateGates(client, { change, user, now: new Date(), hasFreshStepUp: await hasFreshStepUp(user) });
}
