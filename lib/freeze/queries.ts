import { db } from "../db/client.ts";

export type FreezeWindowRow = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  environment: "PRODUCTION" | "STAGING" | null;
  reason: string;
  createdBy: { name: string; email: string };
  createdAt: Date;
  cancelledAt: Date | null;
};

export type FreezeWindowLists = {
  /** In force now (not cancelled), soonest-ending first. */
  active: FreezeWindowRow[];
  /** Not started yet and not cancelled, soonest first. */
  upcoming: FreezeWindowRow[];
  /** Over or cancelled (cancelled ones that had not ended first), newest first, at most `pastLimit`. */
  past: FreezeWindowRow[];
};

const SELECT = {
  id: true,
  startsAt: true,
  endsAt: true,
  environment: true,
  reason: true,
  createdAt: true,
  cancelledAt: true,
  createdBy: { select: { name: true, email: true } },
} as const;

/**
 * The freeze-window page's three lists. Active and upcoming are few by nature (nobody plans
 * hundreds of freezes ahead); past grows forever, so only the latest `pastLimit` are read.
 */
export async function listFreezeWindows(now = new Date(), pastLimit = 50): Promise<FreezeWindowLists> {
  const [current, past] = await Promise.all([
    db.freezeWindow.findMany({ where: { endsAt: { gt: now } }, select: SELECT, orderBy: { startsAt: "asc" } }),
    db.freezeWindow.findMany({ where: { endsAt: { lte: now } }, select: SELECT, orderBy: { startsAt: "desc" }, take: pastLimit }),
  ]);
  const active: FreezeWindowRow[] = [];
  const upcoming: FreezeWindowRow[] = [];
  const cancelledCurrent: FreezeWindowRow[] = [];
  for (const f of current) {
    // Cancelled: no longer in force, so it belongs with the past ones.
    if (f.cancelledAt) cancelledCurrent.push(f);
    else if (f.startsAt.getTime() <= now.getTime()) active.push(f);
    else upcoming.push(f);
  }
  active.sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime());
  cancelledCurrent.sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
  return { active, upcoming, past: [...cancelledCurrent, ...past].slice(0, pastLimit) };
}
