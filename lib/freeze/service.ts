import { recordAudit, type AuditActor, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { formatChangeNumber } from "../changes/number.ts";
import { db, type Prisma } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { notify } from "../notifications/notify.ts";
import { auditDenied } from "../rbac/deny.ts";
import { can } from "../rbac/permissions.ts";
import { formatDateTime } from "../ui/format.ts";
import type { TCreateFreezeWindowInput, TFreezeWindowIdInput } from "./schemas.ts";

/*
 * Freeze windows: time ranges (for one environment, or all when environment is null) in which
 * changes may not be scheduled. Creating or cancelling one is a release manager's call
 * (freeze.manage), recorded in the audit trail in the same transaction. A new freeze does not
 * move changes already approved or scheduled into it; it reports them and tells their requesters,
 * who decide whether to reschedule.
 */

type Tx = Prisma.TransactionClient;

/** Changes that already hold a window and are waiting for it. */
const COMMITTED_STATUSES = ["APPROVED", "SCHEDULED"] as const;

export type AffectedChange = { number: string; title: string; status: string; requesterId: string };

export type CreatedFreezeWindow = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  environment: "PRODUCTION" | "STAGING" | null;
  /** Approved or scheduled changes whose window overlaps the new freeze, by number. */
  affectedChanges: AffectedChange[];
  /** Requesters of those changes who were notified. */
  notified: { id: string; email: string }[];
};

function actorOf(user: CurrentUser): AuditActor {
  return { id: user.id, label: user.email };
}

/** The domain's own check: a refusal is audited even when the caller is not defineAction. */
async function assertCanManageFreezes(actor: CurrentUser, what: string, context: RequestContext): Promise<void> {
  if (can(actor.role, "freeze.manage")) return;
  await auditDenied(actorOf(actor), "freeze.manage", what, context);
  throw new AppError("forbidden", "Only release managers and administrators manage freeze windows.");
}

function environmentLabel(environment: string | null): string {
  if (environment === "PRODUCTION") return "production";
  if (environment === "STAGING") return "staging";
  return "all environments";
}

/**
 * Approved or scheduled changes whose window overlaps [start, end) on a service the freeze covers.
 * Same overlap test as the calendar: plannedStart < end AND plannedEnd > start (touching is fine).
 */
async function committedChangesOverlapping(
  tx: Tx,
  environment: "PRODUCTION" | "STAGING" | null,
  start: Date,
  end: Date,
): Promise<AffectedChange[]> {
  const rows = await tx.changeRequest.findMany({
    where: {
      status: { in: [...COMMITTED_STATUSES] },
      plannedStart: { lt: end },
      plannedEnd: { gt: start },
      ...(environment ? { service: { environment } } : {}),
    },
    select: { number: true, title: true, status: true, requesterId: true },
    orderBy: { plannedStart: "asc" },
  });
  return rows.map((r) => ({ number: formatChangeNumber(r.number), title: r.title, status: r.status, requesterId: r.requesterId }));
}

export async function createFreezeWindow(
  actor: CurrentUser,
  input: TCreateFreezeWindowInput,
  context: RequestContext,
  now = new Date(),
): Promise<CreatedFreezeWindow> {
  await assertCanManageFreezes(actor, "freeze.create", context);
  if (input.endsAt.getTime() <= input.startsAt.getTime()) {
    const message = "The freeze must end after it starts.";
    throw new AppError("invalid_input", message, { endsAt: message });
  }
  if (input.endsAt.getTime() <= now.getTime()) {
    const message = "That freeze would already be over: choose an end in the future.";
    throw new AppError("invalid_input", message, { endsAt: message });
  }
  const reason = input.reason.trim();
  if (!reason) {
    const message = "Say why changes are frozen.";
    throw new AppError("invalid_input", message, { reason: message });
  }

  return db.$transaction(async (tx) => {
    const freeze = await tx.freezeWindow.create({
      data: { startsAt: input.startsAt, endsAt: input.endsAt, environment: input.environment, reason, createdById: actor.id },
      select: { id: true, startsAt: true, endsAt: true, environment: true },
    });
    const affectedChanges = await committedChangesOverlapping(tx, freeze.environment, freeze.startsAt, freeze.endsAt);
    const notified = affectedChanges.length
      ? await notify(
          tx,
          // The person freezing knows already; everyone else whose change is caught hears of it.
          affectedChanges.map((c) => c.requesterId).filter((id) => id !== actor.id),
          {
            kind: "freeze.overlaps_change",
            title: `A freeze window now overlaps your change${affectedChanges.length > 1 ? "s" : ""}`,
            body:
              `${actor.name} froze ${environmentLabel(freeze.environment)} from ${formatDateTime(freeze.startsAt)} ` +
              `to ${formatDateTime(freeze.endsAt)}: ${reason}\n` +
              `Affected: ${affectedChanges.map((c) => `${c.number} ${c.title}`).join("; ")}.\n` +
              "Reschedule outside the freeze, or (emergency changes only) give an override reason.",
            link: "/changes/calendar",
          },
        )
      : [];
    await recordAudit(tx, {
      action: "freeze.created",
      actor: actorOf(actor),
      context,
      target: { type: "FreezeWindow", id: freeze.id },
      changes: {
        startsAt: freeze.startsAt.toISOString(),
        endsAt: freeze.endsAt.toISOString(),
        environment: freeze.environment ?? "ALL",
        reason,
        overlappingChanges: affectedChanges.map((c) => c.number),
        notified: notified.map((u) => u.email),
      },
    });
    return { ...freeze, affectedChanges, notified: notified.map((u) => ({ id: u.id, email: u.email })) };
  });
}

/** Lifts a freeze early (or withdraws a future one). The row stays, marked cancelled, for the record. */
export async function cancelFreezeWindow(
  actor: CurrentUser,
  input: TFreezeWindowIdInput,
  context: RequestContext,
  now = new Date(),
): Promise<{ id: string; cancelledAt: Date }> {
  await assertCanManageFreezes(actor, "freeze.cancel", context);
  return db.$transaction(async (tx) => {
    const freeze = await tx.freezeWindow.findUnique({
      where: { id: input.freezeWindowId },
      select: { id: true, startsAt: true, endsAt: true, environment: true, reason: true, cancelledAt: true },
    });
    if (!freeze) throw new AppError("not_found", "That freeze window no longer exists.");
    if (freeze.cancelledAt) throw new AppError("conflict", "That freeze window has already been cancelled.");
    if (freeze.endsAt.getTime() <= now.getTime()) {
      throw new AppError("invalid_input", "That freeze window is already over; past freezes stay on record.");
    }
    // Compare-and-set: of two people cancelling at once, one wins and the other hears so.
    const { count } = await tx.freezeWindow.updateMany({
      where: { id: freeze.id, cancelledAt: null },
      data: { cancelledAt: now },
    });
    if (count === 0) throw new AppError("conflict", "That freeze window has already been cancelled.");
    await recordAudit(tx, {
      action: "freeze.cancelled",
      actor: actorOf(actor),
      context,
      target: { type: "FreezeWindow", id: freeze.id },
      changes: {
        startsAt: freeze.startsAt.toISOString(),
        endsAt: freeze.endsAt.toISOString(),
        environment: freeze.environment ?? "ALL",
        reason: freeze.reason,
        wasActive: freeze.startsAt.getTime() <= now.getTime(),
      },
    });
    return { id: freeze.id, cancelledAt: now };
  });
}
