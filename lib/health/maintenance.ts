import { recordAudit, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertMayManageHealth } from "./checks.ts";
import { MAX_MAINTENANCE_DAYS, type TMaintenanceIdInput, type TScheduleMaintenanceInput } from "./maintenance-schemas.ts";

/*
 * Maintenance windows: planned work on a service, from startsAt to endsAt. While one is active the
 * probe engine still probes and records, but the state changes it finds are recorded muted (no
 * alerts), and charts show the window. Scheduling and cancelling are health.manage, audited in the
 * same transaction. A cancelled window stays on record: it counted until `cancelledAt`.
 */

/** A window may start "now": a start up to this far in the past (the minute being typed) is accepted. */
export const START_GRACE_MS = 5 * 60_000;

export type MaintenanceWindowRow = {
  id: string;
  serviceId: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdAt: Date;
  cancelledAt: Date | null;
  createdBy: { name: string; email: string } | null;
};

function actorOf(user: CurrentUser) {
  return { id: user.id, label: user.email };
}

export async function scheduleMaintenance(
  actor: CurrentUser,
  input: TScheduleMaintenanceInput,
  context: RequestContext,
  now = new Date(),
): Promise<{ id: string; startsAt: Date; endsAt: Date }> {
  await assertMayManageHealth(actor, "health.maintenance_schedule", context);
  const length = input.endsAt.getTime() - input.startsAt.getTime();
  if (length <= 0) {
    const message = "The maintenance must end after it starts.";
    throw new AppError("invalid_input", message, { endsAt: message });
  }
  if (length > MAX_MAINTENANCE_DAYS * 86_400_000) {
    const message = `A maintenance window lasts at most ${MAX_MAINTENANCE_DAYS} days; schedule longer work as several windows.`;
    throw new AppError("invalid_input", message, { endsAt: message });
  }
  if (input.startsAt.getTime() < now.getTime() - START_GRACE_MS) {
    const message = "A maintenance window cannot start in the past: start it now or later.";
    throw new AppError("invalid_input", message, { startsAt: message });
  }
  const reason = input.reason.trim();
  if (!reason) {
    const message = "Say what the maintenance is for.";
    throw new AppError("invalid_input", message, { reason: message });
  }
  return db.$transaction(async (tx) => {
    const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true } });
    if (!service) throw new AppError("not_found", "That service no longer exists.");
    const window = await tx.maintenanceWindow.create({
      data: { serviceId: service.id, startsAt: input.startsAt, endsAt: input.endsAt, reason, createdById: actor.id },
      select: { id: true, startsAt: true, endsAt: true },
    });
    await recordAudit(tx, {
      action: "health.maintenance_scheduled",
      actor: actorOf(actor),
      context,
      target: { type: "MaintenanceWindow", id: window.id },
      changes: { service: service.name, startsAt: window.startsAt.toISOString(), endsAt: window.endsAt.toISOString(), reason },
    });
    return window;
  });
}

/** Withdraws a future window or ends an active one now. An ended window is history and stays as it was. */
export async function cancelMaintenance(
  actor: CurrentUser,
  input: TMaintenanceIdInput,
  context: RequestContext,
  now = new Date(),
): Promise<{ id: string; serviceId: string; cancelledAt: Date }> {
  await assertMayManageHealth(actor, "health.maintenance_cancel", context);
  return db.$transaction(async (tx) => {
    const window = await tx.maintenanceWindow.findUnique({
      where: { id: input.maintenanceId },
      select: { id: true, serviceId: true, startsAt: true, endsAt: true, reason: true, cancelledAt: true, service: { select: { name: true } } },
    });
    if (!window) throw new AppError("not_found", "That maintenance window no longer exists.");
    if (window.cancelledAt) throw new AppError("conflict", "That maintenance window has already been cancelled.");
    if (window.endsAt.getTime() <= now.getTime()) {
      throw new AppError("invalid_input", "That maintenance window has already ended; past windows stay on record as they were.");
    }
    // Compare-and-set: of two people cancelling at once, one wins and the other hears so.
    const { count } = await tx.maintenanceWindow.updateMany({ where: { id: window.id, cancelledAt: null }, data: { cancelledAt: now } });
    if (count === 0) throw new AppError("conflict", "That maintenance window has already been cancelled.");
    await recordAudit(tx, {
      action: "health.maintenance_cancelled",
      actor: actorOf(actor),
      context,
      target: { type: "MaintenanceWindow", id: window.id },
      changes: {
        service: window.service.name,
        startsAt: window.startsAt.toISOString(),
        endsAt: window.endsAt.toISOString(),
        reason: window.reason,
        wasActive: window.startsAt.getTime() <= now.getTime(),
      },
    });
    return { id: window.id, serviceId: window.serviceId, cancelledAt: now };
  });
}

const SELECT = {
  id: true,
  serviceId: true,
  startsAt: true,
  endsAt: true,
  reason: true,
  createdAt: true,
  cancelledAt: true,
  createdById: true,
} as const;

export type MaintenanceLists = {
  /** In force now, soonest-ending first. */
  active: MaintenanceWindowRow[];
  /** Not started and not cancelled, soonest first. */
  upcoming: MaintenanceWindowRow[];
  /** Ended or cancelled, newest first, at most `pastLimit`. */
  past: MaintenanceWindowRow[];
};

/** A service's maintenance page: active, upcoming and the latest past windows. */
export async function listMaintenance(serviceId: string, now = new Date(), pastLimit = 50): Promise<MaintenanceLists> {
  const [current, ended] = await Promise.all([
    db.maintenanceWindow.findMany({ where: { serviceId, endsAt: { gt: now } }, select: SELECT, orderBy: { startsAt: "asc" } }),
    db.maintenanceWindow.findMany({ where: { serviceId, endsAt: { lte: now } }, select: SELECT, orderBy: { startsAt: "desc" }, take: pastLimit }),
  ]);
  const creatorIds = [...new Set([...current, ...ended].map((w) => w.createdById))];
  const creators = new Map(
    (await db.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u]),
  );
  const row = ({ createdById, ...w }: (typeof current)[number]): MaintenanceWindowRow => {
    const creator = creators.get(createdById);
    return { ...w, createdBy: creator ? { name: creator.name, email: creator.email } : null };
  };
  const active: MaintenanceWindowRow[] = [];
  const upcoming: MaintenanceWindowRow[] = [];
  const cancelled: MaintenanceWindowRow[] = [];
  for (const w of current.map(row)) {
    if (w.cancelledAt) cancelled.push(w);
    else if (w.startsAt.getTime() <= now.getTime()) active.push(w);
    else upcoming.push(w);
  }
  active.sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime());
  cancelled.sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
  return { active, upcoming, past: [...cancelled, ...ended.map(row)].slice(0, pastLimit) };
}

/**
 * The maintenance window covering `serviceId` at `at`, if any (the one ending last when several
 * overlap). A cancelled window counts until it was cancelled, so history reads true afterwards.
 */
export async function activeMaintenance(
  serviceId: string,
  at: Date = new Date(),
): Promise<{ id: string; startsAt: Date; endsAt: Date; reason: string } | null> {
  return db.maintenanceWindow.findFirst({
    where: {
      serviceId,
      startsAt: { lte: at },
      endsAt: { gt: at },
      OR: [{ cancelledAt: null }, { cancelledAt: { gt: at } }],
    },
    select: { id: true, startsAt: true, endsAt: true, reason: true },
    orderBy: { endsAt: "desc" },
  });
}
