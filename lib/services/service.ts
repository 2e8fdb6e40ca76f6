import { recordAudit, type AuditActor, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { db, Prisma } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { auditDenied } from "../rbac/deny.ts";
import { can, ROLE_LABELS } from "../rbac/permissions.ts";
import { ENVIRONMENT_LABELS, type Environment, type TCreateServiceInput, type TUpdateServiceInput } from "./schemas.ts";

/*
 * The services catalogue. Each mutation: permission (a refusal is audited) -> rules -> one
 * transaction that writes the service, its stakeholders and the audit event. A name is unique per
 * environment; the unique index (name, environment) is what decides when two people race.
 */

type Tx = Prisma.TransactionClient;

export type SavedService = { id: string; name: string; environment: Environment };

/** The fields an edit can change, in the order the audit event lists them. */
const FIELDS = ["name", "environment", "ownerTeam", "tier", "description", "repoUrl", "runbookUrl", "dashboardUrl"] as const;
type Field = (typeof FIELDS)[number];

function actorOf(user: CurrentUser): AuditActor {
  return { id: user.id, label: user.email };
}

/** Also checked by defineAction; a refusal here (a caller that forgot) is audited all the same. */
async function assertMayWrite(actor: CurrentUser, attempted: string, context: RequestContext): Promise<void> {
  if (can(actor.role, "service.write")) return;
  await auditDenied(actorOf(actor), "service.write", attempted, context);
  throw new AppError("forbidden", "Your role does not allow this.");
}

function nameTaken(name: string, environment: Environment): AppError {
  const message = `There is already a ${ENVIRONMENT_LABELS[environment].toLowerCase()} service named ${name}. Choose another name or environment.`;
  return new AppError("invalid_input", message, { name: message });
}

async function assertNameFree(tx: Tx, name: string, environment: Environment, exceptId?: string): Promise<void> {
  const other = await tx.service.findUnique({ where: { name_environment: { name, environment } }, select: { id: true } });
  if (other && other.id !== exceptId) throw nameTaken(name, environment);
}

/**
 * Turns a unique-index violation into the message a person can act on. The index on
 * (name, environment) is the only one a racing create or rename can hit; anything else that
 * collides (two edits adding the same stakeholder at once) is reported as a conflict.
 */
async function explainUniqueViolation(err: unknown, name: string, environment: Environment, exceptId?: string): Promise<never> {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
    const other = await db.service.findUnique({ where: { name_environment: { name, environment } }, select: { id: true } });
    if (other && other.id !== exceptId) throw nameTaken(name, environment);
    throw new AppError("conflict", "Someone else changed this service a moment ago. Reload the page and try again.");
  }
  throw err;
}

type Stakeholder = { id: string; name: string; email: string };

/** Named stakeholders are the people who sign off UAT on the service's changes, so their role must allow it. */
async function loadStakeholders(tx: Tx, ids: readonly string[]): Promise<Stakeholder[]> {
  if (!ids.length) return [];
  const users = await tx.user.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, name: true, email: true, role: true, active: true },
  });
  if (users.length !== ids.length) {
    throw stakeholderError("One of the chosen stakeholders no longer exists. Reload the page and choose again.");
  }
  const unable = users.filter((u) => !u.active || !can(u.role, "change.uat_signoff"));
  if (unable.length) {
    const who = unable
      .map((u) => (u.active ? `${u.name} (${ROLE_LABELS[u.role]})` : `${u.name} (deactivated)`))
      .join(", ");
    throw stakeholderError(
      `${who} cannot sign off UAT, so cannot be a stakeholder. Choose people whose role allows UAT sign-off.`,
    );
  }
  const byId = new Map(users.map((u) => [u.id, { id: u.id, name: u.name, email: u.email }]));
  return ids.map((id) => byId.get(id)).filter((u): u is Stakeholder => u !== undefined);
}

function stakeholderError(message: string): AppError {
  return new AppError("invalid_input", message, { stakeholderIds: message });
}

function namesOf(people: readonly Stakeholder[]): string[] {
  return people.map((p) => p.name).sort((a, b) => a.localeCompare(b));
}

export async function createService(
  actor: CurrentUser,
  input: TCreateServiceInput,
  context: RequestContext,
): Promise<SavedService> {
  await assertMayWrite(actor, "service.create", context);
  const { stakeholderIds, ...fields } = input;
  try {
    return await db.$transaction(async (tx) => {
      await assertNameFree(tx, fields.name, fields.environment);
      const stakeholders = await loadStakeholders(tx, stakeholderIds);
      const service = await tx.service.create({
        data: { ...fields, stakeholders: { create: stakeholders.map((s) => ({ userId: s.id })) } },
        select: { id: true, name: true, environment: true },
      });
      await recordAudit(tx, {
        action: "service.created",
        actor: actorOf(actor),
        context,
        target: { type: "Service", id: service.id },
        changes: { ...fields, stakeholders: namesOf(stakeholders) },
      });
      return service;
    });
  } catch (err) {
    return explainUniqueViolation(err, fields.name, fields.environment);
  }
}

export type ServiceUpdate = SavedService & { changed: string[] };

/**
 * Saves an edit. The audit event lists each field that changed (from -> to) and the stakeholders
 * added and removed by name; an edit that changes nothing writes nothing.
 */
export async function updateService(
  actor: CurrentUser,
  input: TUpdateServiceInput,
  context: RequestContext,
): Promise<ServiceUpdate> {
  await assertMayWrite(actor, "service.update", context);
  const { serviceId, stakeholderIds, ...fields } = input;
  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.service.findUnique({
        where: { id: serviceId },
        select: {
          id: true,
          name: true,
          environment: true,
          ownerTeam: true,
          tier: true,
          description: true,
          repoUrl: true,
          runbookUrl: true,
          dashboardUrl: true,
          stakeholders: { select: { user: { select: { id: true, name: true, email: true } } } },
        },
      });
      if (!before) throw new AppError("not_found", "That service no longer exists.");
      if (fields.name !== before.name || fields.environment !== before.environment) {
        await assertNameFree(tx, fields.name, fields.environment, serviceId);
      }

      const diff: Record<string, unknown> = {};
      const changed: Field[] = FIELDS.filter((f) => fields[f] !== before[f]);
      for (const f of changed) diff[f] = { from: before[f], to: fields[f] };

      const current = before.stakeholders.map((s) => s.user);
      const currentIds = new Set(current.map((u) => u.id));
      const wanted = new Set(stakeholderIds);
      const addedIds = stakeholderIds.filter((id) => !currentIds.has(id));
      const removed = current.filter((u) => !wanted.has(u.id));
      // Only people being added are checked: someone already named stays until removed, even if
      // their role has changed since (the detail page shows them; removing them is one click).
      const added = await loadStakeholders(tx, addedIds);
      if (added.length || removed.length) {
        diff.stakeholders = { added: namesOf(added), removed: namesOf(removed) };
      }

      const result = { id: before.id, name: fields.name, environment: fields.environment };
      const changedNames = [...changed, ...(diff.stakeholders ? ["stakeholders"] : [])];
      if (!changedNames.length) return { ...result, changed: [] };

      await tx.service.update({ where: { id: serviceId }, data: fields });
      if (removed.length) {
        await tx.serviceStakeholder.deleteMany({ where: { serviceId, userId: { in: removed.map((u) => u.id) } } });
      }
      if (added.length) {
        await tx.serviceStakeholder.createMany({ data: added.map((u) => ({ serviceId, userId: u.id })) });
      }
      await recordAudit(tx, {
        action: "service.updated",
        actor: actorOf(actor),
        context,
        target: { type: "Service", id: serviceId },
        changes: { service: `${before.name} (${before.environment})`, ...diff },
      });
      return { ...result, changed: changedNames };
    });
  } catch (err) {
    return explainUniqueViolation(err, fields.name, fields.environment, serviceId);
  }
}
