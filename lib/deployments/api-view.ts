import { z } from "zod";
import type { ApiPrincipal } from "../api-tokens/authenticate.ts";
import type { RequestContext } from "../audit/record.ts";
import { formatChangeNumber, parseChangeNumber } from "../changes/number.ts";
import { db, type Prisma } from "../db/client.ts";
import { AppError, HTTP_STATUS } from "../errors.ts";
import { assertPermission } from "../rbac/assert.ts";
import type { Role } from "../rbac/permissions.ts";
import { GateRefusal } from "./gates.ts";
import { formatDeploymentNumber, parseDeploymentNumber } from "./number.ts";
import { requestRollback } from "./rollback.ts";
import { triggerDeployment } from "./trigger.ts";
import { blankAsUndefined } from "../validation/query-params.ts";

/*
 * What /api/v1/deployments answers, in one place: numbers as people say them (DEP-000123,
 * CHG-000123), colours in lower case, dates as ISO strings once serialised, durations in ms.
 */

const STATUSES = ["RUNNING", "ROLLING_BACK", "SUCCEEDED", "ROLLED_BACK", "FAILED"] as const;
const FINAL = new Set(["SUCCEEDED", "ROLLED_BACK", "FAILED"]);

export const API_LIST_LIMIT = 50;
export const API_LOG_LIMIT = 500;

export const ZDeploymentListQuery = z.object({
  service: blankAsUndefined(z.string().trim().max(191, "service is a service id or name.")),
  status: blankAsUndefined(z.enum(STATUSES, { message: `status is one of ${STATUSES.join(", ")}.` })),
  limit: blankAsUndefined(z.coerce.number({ message: "limit is a number." }).int("limit is a whole number.").min(1, "limit is at least 1.").max(200, "limit is at most 200.")),
});

export const ZTriggerBody = z.object({
  change: z.string({ message: "Name the change: {\"change\": \"CHG-000123\"}." }).trim().min(1, "Name the change: {\"change\": \"CHG-000123\"}.").max(40),
  overrideReason: z.string().trim().max(2000, "Keep the override reason under 2,000 characters.").optional(),
  idempotencyKey: z.string().max(191).optional(),
});

export const ZRollbackBody = z.object({
  reason: z.string({ message: "Say why you are rolling back." }).trim().min(1, "Say why you are rolling back.").max(2000),
});

const colour = (c: string | null) => (c ? c.toLowerCase() : null);

const SUMMARY_INCLUDE = {
  service: { select: { id: true, name: true, environment: true } },
  change: { select: { number: true, title: true } },
  triggeredBy: { select: { name: true, email: true } },
} satisfies Prisma.DeploymentInclude;

type SummaryRow = Prisma.DeploymentGetPayload<{ include: typeof SUMMARY_INCLUDE }>;

function summary(d: SummaryRow) {
  const end = d.finishedAt ?? null;
  return {
    id: d.id,
    number: formatDeploymentNumber(d.number),
    status: d.status,
    service: d.service,
    change: { number: formatChangeNumber(d.change.number), title: d.change.title },
    version: d.version,
    colours: { from: colour(d.fromColour), to: colour(d.toColour), live: colour(d.liveColour) },
    triggeredBy: d.triggeredBy,
    source: d.source,
    startedAt: d.startedAt,
    liveAt: d.liveAt,
    finishedAt: d.finishedAt,
    durationMs: end ? end.getTime() - d.startedAt.getTime() : null,
    outcome: d.outcome,
    rollback: d.rollbackRequestedAt ? { requestedAt: d.rollbackRequestedAt, reason: d.rollbackReason } : null,
    recoveredAt: d.recoveredAt,
  };
}

const notFound = (what: string) => new AppError("not_found", `There is no deployment ${what}.`);

async function findByNumber(numberText: string) {
  const number = parseDeploymentNumber(numberText);
  if (number === null) throw notFound(`“${numberText.slice(0, 40)}”`);
  const d = await db.deployment.findUnique({ where: { number }, include: SUMMARY_INCLUDE });
  if (!d) throw notFound(formatDeploymentNumber(number));
  return d;
}

function parseDetail(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
}

/** Recent deployments, newest first; `service` is a service id or name. */
export async function apiDeploymentList(actor: { role: Role }, query: z.infer<typeof ZDeploymentListQuery>) {
  assertPermission(actor, "deployment.read");
  const where: Prisma.DeploymentWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.service ? { OR: [{ serviceId: query.service }, { service: { name: query.service } }] } : {}),
  };
  const rows = await db.deployment.findMany({ where, include: SUMMARY_INCLUDE, orderBy: { number: "desc" }, take: query.limit ?? API_LIST_LIMIT });
  return { deployments: rows.map(summary) };
}

/** One deployment: status, colours (with the target's live colour as last read back) and its steps with times. */
export async function apiDeploymentDetail(actor: { role: Role }, numberText: string) {
  assertPermission(actor, "deployment.read");
  const d = await findByNumber(numberText);
  const [steps, target] = await Promise.all([
    db.deploymentStep.findMany({ where: { deploymentId: d.id }, orderBy: { position: "asc" } }),
    db.deploymentTarget.findUnique({ where: { serviceId: d.serviceId }, select: { liveColour: true, liveCheckedAt: true } }),
  ]);
  return {
    deployment: {
      ...summary(d),
      target: target ? { liveColour: colour(target.liveColour), liveCheckedAt: target.liveCheckedAt } : null,
      steps: steps.map((s) => ({
        position: s.position,
        kind: s.kind,
        status: s.status,
        startedAt: s.startedAt,
        finishedAt: s.finishedAt,
        durationMs: s.startedAt && s.finishedAt ? s.finishedAt.getTime() - s.startedAt.getTime() : null,
        summary: s.summary,
        detail: parseDetail(s.detail),
      })),
    },
  };
}

/** Log lines after the line id `after` (0: from the start), oldest first; poll with the returned `after` until `done`. */
export async function apiDeploymentLog(actor: { role: Role }, numberText: string, after: number, limit = API_LOG_LIMIT) {
  assertPermission(actor, "deployment.read");
  const d = await findByNumber(numberText);
  const lines = await db.deploymentLog.findMany({
    where: { deploymentId: d.id, id: { gt: after } },
    orderBy: { id: "asc" },
    take: limit,
  });
  const last = lines.at(-1)?.id ?? after;
  return {
    deployment: formatDeploymentNumber(d.number),
    status: d.status,
    lines: lines.map((l) => ({ id: l.id, at: l.at, step: l.step, level: l.level, message: l.message })),
    after: last,
    /** No more lines will come: the deployment is finished and this page reached the end. */
    done: FINAL.has(d.status) && lines.length < limit,
  };
}

/** A gate refusal as the API answers it: 409 (or 403) with the gate named beside the error. */
export function gateRefusalResponse(err: GateRefusal): Response {
  return Response.json(
    { error: { code: err.code, message: err.message }, gate: err.gate },
    { status: HTTP_STATUS[err.code], headers: { "cache-control": "no-store" } },
  );
}

/** POST /api/v1/deployments: 201 with the new deployment, 200 with the one this key already started. */
export async function apiTriggerDeployment(
  principal: ApiPrincipal,
  body: z.infer<typeof ZTriggerBody>,
  headerKey: string | null,
  request: RequestContext,
): Promise<Response> {
  const idempotencyKey = (headerKey ?? body.idempotencyKey ?? "").trim();
  if (!idempotencyKey) {
    throw new AppError("invalid_input", "Send an Idempotency-Key header (or idempotencyKey in the body): a retried call with the same key gets the same deployment.", {
      idempotencyKey: "Required.",
    });
  }
  const number = parseChangeNumber(body.change);
  const change = number === null ? null : await db.changeRequest.findUnique({ where: { number }, select: { id: true } });
  if (!change) throw new AppError("not_found", `There is no change ${number === null ? `“${body.change.slice(0, 40)}”` : formatChangeNumber(number)}.`);
  const actor = { ...principal.user, role: principal.role };
  try {
    const started = await triggerDeployment(
      actor,
      { changeId: change.id, idempotencyKey, overrideReason: body.overrideReason ?? "" },
      request,
      `api:${principal.tokenPrefix}`,
    );
    const view = await apiDeploymentDetail(actor, started.reference);
    return Response.json({ data: view }, { status: started.created ? 201 : 200, headers: { "cache-control": "no-store" } });
  } catch (err) {
    if (err instanceof GateRefusal) return gateRefusalResponse(err);
    throw err;
  }
}

/** POST /api/v1/deployments/:number/rollback: 202, the runner carries it out. */
export async function apiRequestRollback(principal: ApiPrincipal, numberText: string, reason: string, request: RequestContext): Promise<Response> {
  const actor = { ...principal.user, role: principal.role };
  assertPermission(actor, "deployment.rollback");
  const d = await findByNumber(numberText);
  const result = await requestRollback(actor, { deploymentId: d.id, reason }, request, `api:${principal.tokenPrefix}`);
  const view = await apiDeploymentDetail(actor, result.reference);
  return Response.json({ data: { ...view, alreadyRequested: result.alreadyRequested } }, { status: 202, headers: { "cache-control": "no-store" } });
}
