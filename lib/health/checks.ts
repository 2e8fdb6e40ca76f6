import { recordAudit, type AuditActor, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { db, Prisma } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { auditDenied } from "../rbac/deny.ts";
import { can } from "../rbac/permissions.ts";
import { checkConfigOf, checkTarget, type CheckConfig, type TCheckIdInput, type TCreateCheckInput, type TUpdateCheckInput } from "./check-schemas.ts";
import { kickHealthScheduler } from "./scheduler-hook.ts";
import { PROBE_SPEC_SELECT } from "./types.ts";

/*
 * Health checks, as people manage them (health.manage: operators and administrators). Each
 * mutation: permission (a refusal is audited) -> rules -> one transaction with its audit event ->
 * after the commit, a kick so the probe scheduler picks the change up at once. A check's name is
 * unique per service (the unique index decides when two people race); an edit is compare-and-set
 * on `revision`, so a save over someone else's newer edit is refused rather than undoing it.
 */

type Tx = Prisma.TransactionClient;

export const CHECK_CONFLICT_MESSAGE =
  "Someone else saved this check after you opened it. Reload the page to see their version, then make your change again.";

const CONFIG_FIELDS = [
  "name",
  "kind",
  "url",
  "method",
  "expectedStatusMin",
  "expectedStatusMax",
  "keyword",
  "tlsExpiryWarnDays",
  "ignoreTlsErrors",
  "host",
  "port",
  "intervalSeconds",
  "timeoutMs",
  "retries",
] as const satisfies readonly (keyof CheckConfig)[];

const CHECK_SELECT = {
  serviceId: true,
  paused: true,
  revision: true,
  name: true,
  ...PROBE_SPEC_SELECT,
  service: { select: { name: true } },
} as const;

export type SavedCheck = { id: string; serviceId: string; name: string; revision: number };

function actorOf(user: CurrentUser): AuditActor {
  return { id: user.id, label: user.email };
}

/** Also checked by defineAction; a refusal here (a caller that forgot) is audited all the same. */
export async function assertMayManageHealth(actor: CurrentUser, attempted: string, context: RequestContext): Promise<void> {
  if (can(actor.role, "health.manage")) return;
  await auditDenied(actorOf(actor), "health.manage", attempted, context);
  throw new AppError("forbidden", "Only operators and administrators manage health checks and maintenance.");
}

function nameTaken(name: string, serviceName: string): AppError {
  const message = `${serviceName} already has a check named "${name}". Choose another name.`;
  return new AppError("invalid_input", message, { name: message });
}

async function assertNameFree(tx: Tx, serviceId: string, serviceName: string, name: string, exceptId?: string): Promise<void> {
  const other = await tx.healthCheck.findUnique({ where: { serviceId_name: { serviceId, name } }, select: { id: true } });
  if (other && other.id !== exceptId) throw nameTaken(name, serviceName);
}

/** A racing create or rename that hit the (serviceId, name) index becomes the message a person can act on. */
function explainUniqueViolation(err: unknown, name: string, serviceName: string): never {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw nameTaken(name, serviceName);
  throw err;
}

/** What the audit trail keeps of a configuration: the fields that matter for its kind. */
function auditedConfig(c: CheckConfig): Record<string, unknown> {
  const base = { name: c.name, kind: c.kind, target: checkTarget(c), intervalSeconds: c.intervalSeconds, timeoutMs: c.timeoutMs, retries: c.retries };
  if (c.kind === "TCP") return { ...base, host: c.host, port: c.port };
  return {
    ...base,
    url: c.url,
    method: c.method,
    expectedStatus: `${c.expectedStatusMin}-${c.expectedStatusMax}`,
    keyword: c.keyword,
    tlsExpiryWarnDays: c.tlsExpiryWarnDays,
    ignoreTlsErrors: c.ignoreTlsErrors,
  };
}

export async function createCheck(actor: CurrentUser, input: TCreateCheckInput, context: RequestContext): Promise<SavedCheck> {
  await assertMayManageHealth(actor, "health.check_create", context);
  const config = checkConfigOf(input);
  const service = await db.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true } });
  if (!service) throw new AppError("not_found", "That service no longer exists.");
  let saved: SavedCheck;
  try {
    saved = await db.$transaction(async (tx) => {
      await assertNameFree(tx, service.id, service.name, config.name);
      const check = await tx.healthCheck.create({
        data: { ...config, serviceId: service.id, createdById: actor.id, state: { create: { status: "PENDING" } } },
        select: { id: true, serviceId: true, name: true, revision: true },
      });
      await recordAudit(tx, {
        action: "health.check_created",
        actor: actorOf(actor),
        context,
        target: { type: "HealthCheck", id: check.id },
        changes: { service: service.name, ...auditedConfig(config) },
      });
      return check;
    });
  } catch (err) {
    explainUniqueViolation(err, config.name, service.name);
  }
  kickHealthScheduler();
  return saved;
}

export type CheckUpdate = SavedCheck & { changed: string[] };

/**
 * Saves an edit made on the form drawn at `input.revision`. Refused with a conflict when someone
 * saved in between; an edit that changes nothing writes nothing. The audit event lists each
 * changed field (from -> to).
 */
export async function updateCheck(actor: CurrentUser, input: TUpdateCheckInput, context: RequestContext): Promise<CheckUpdate> {
  await assertMayManageHealth(actor, "health.check_update", context);
  const config = checkConfigOf(input);
  let serviceName = "";
  let result: CheckUpdate;
  try {
    result = await db.$transaction(async (tx) => {
      const before = await tx.healthCheck.findUnique({ where: { id: input.checkId }, select: CHECK_SELECT });
      if (!before) throw new AppError("not_found", "That check no longer exists: someone may have deleted it.");
      serviceName = before.service.name;
      if (before.revision !== input.revision) throw new AppError("conflict", CHECK_CONFLICT_MESSAGE);
      const changed = CONFIG_FIELDS.filter((f) => before[f] !== config[f]);
      const saved = { id: before.id, serviceId: before.serviceId, name: config.name, revision: before.revision };
      if (!changed.length) return { ...saved, changed: [] };
      if (config.name !== before.name) await assertNameFree(tx, before.serviceId, serviceName, config.name, before.id);
      // Compare-and-set: the first statement that writes decides, whatever the reads above saw.
      const { count } = await tx.healthCheck.updateMany({
        where: { id: before.id, revision: input.revision },
        data: { ...config, revision: { increment: 1 } },
      });
      if (count === 0) throw new AppError("conflict", CHECK_CONFLICT_MESSAGE);
      const diff: Record<string, unknown> = {};
      for (const f of changed) diff[f] = { from: before[f], to: config[f] };
      await recordAudit(tx, {
        action: "health.check_updated",
        actor: actorOf(actor),
        context,
        target: { type: "HealthCheck", id: before.id },
        changes: { service: serviceName, check: before.name, ...diff },
      });
      return { ...saved, revision: before.revision + 1, changed: [...changed] };
    });
  } catch (err) {
    explainUniqueViolation(err, config.name, serviceName);
  }
  if (result.changed.length) kickHealthScheduler();
  return result;
}

/** Stops probing a check; its history and state stay. Pausing a paused check is refused (someone else did). */
export function pauseCheck(actor: CurrentUser, input: TCheckIdInput, context: RequestContext): Promise<SavedCheck> {
  return setPaused(actor, input, context, true, new Date());
}

/**
 * Probes a paused check again. Its state goes back to PENDING (failures forgotten): what it found
 * before the pause says nothing about now, and the first probes decide UP or DOWN afresh.
 */
export function resumeCheck(actor: CurrentUser, input: TCheckIdInput, context: RequestContext, now = new Date()): Promise<SavedCheck> {
  return setPaused(actor, input, context, false, now);
}

/** Pause and resume: a compare-and-set on `paused` (refused when someone else got there first), audited. */
async function setPaused(actor: CurrentUser, input: TCheckIdInput, context: RequestContext, paused: boolean, now: Date): Promise<SavedCheck> {
  await assertMayManageHealth(actor, paused ? "health.check_pause" : "health.check_resume", context);
  const saved = await db.$transaction(async (tx) => {
    const check = await loadForAction(tx, input.checkId);
    const { count } = await tx.healthCheck.updateMany({ where: { id: check.id, paused: !paused }, data: { paused } });
    if (count === 0) throw new AppError("conflict", paused ? `${check.name} is already paused.` : `${check.name} is not paused.`);
    if (!paused) {
      const fresh = { status: "PENDING" as const, consecutiveFailures: 0, statusSince: now };
      await tx.healthCheckState.upsert({ where: { checkId: check.id }, create: { checkId: check.id, ...fresh }, update: fresh });
    }
    await recordAudit(tx, {
      action: paused ? "health.check_paused" : "health.check_resumed",
      actor: actorOf(actor),
      context,
      target: { type: "HealthCheck", id: check.id },
      changes: { service: check.service.name, check: check.name },
    });
    return { id: check.id, serviceId: check.serviceId, name: check.name, revision: check.revision };
  });
  kickHealthScheduler();
  return saved;
}

/** Deletes a check with its samples, roll-ups and events; the audit event keeps what it was. */
export async function deleteCheck(actor: CurrentUser, input: TCheckIdInput, context: RequestContext): Promise<{ id: string; serviceId: string; name: string }> {
  await assertMayManageHealth(actor, "health.check_delete", context);
  const deleted = await db.$transaction(async (tx) => {
    const check = await loadForAction(tx, input.checkId);
    const { count } = await tx.healthCheck.deleteMany({ where: { id: check.id } });
    if (count === 0) throw new AppError("not_found", "That check no longer exists: someone may have deleted it.");
    await recordAudit(tx, {
      action: "health.check_deleted",
      actor: actorOf(actor),
      context,
      target: { type: "HealthCheck", id: check.id },
      changes: { service: check.service.name, ...auditedConfig(checkConfigOf(check)) },
    });
    return { id: check.id, serviceId: check.serviceId, name: check.name };
  });
  kickHealthScheduler();
  return deleted;
}

async function loadForAction(tx: Tx, checkId: string) {
  const check = await tx.healthCheck.findUnique({ where: { id: checkId }, select: CHECK_SELECT });
  if (!check) throw new AppError("not_found", "That check no longer exists: someone may have deleted it.");
  return { ...check, method: check.method as CheckConfig["method"] };
}
