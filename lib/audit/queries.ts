import { db, type Db, type Prisma } from "../db/client.ts";
import type { TAuditFilter } from "./filters.ts";

export type AuditRow = {
  seq: number;
  at: Date;
  actorLabel: string;
  ip: string;
  action: string;
  targetType: string;
  targetId: string;
  changes: string;
};

const ROW_SELECT = {
  seq: true,
  at: true,
  actorLabel: true,
  ip: true,
  action: true,
  targetType: true,
  targetId: true,
  changes: true,
} as const satisfies Prisma.AuditEventSelect;

/** Newest first, for the dashboard's short list. */
export function latestAuditEvents(limit = 50): Promise<AuditRow[]> {
  return db.auditEvent.findMany({ select: ROW_SELECT, orderBy: { seq: "desc" }, take: limit });
}

export type AuditWhere = Prisma.AuditEventWhereInput;

/**
 * The filter as a Prisma condition that every AuditEvent index can serve in sequence order:
 * - actor: an email that belongs to a user becomes `actorId = id` (index [actorId, seq]), so an
 *   account's events are found even if its email changed later; anything else (unknown emails
 *   typed at sign-in, "demo seed") is an exact `actorLabel` match. There is no index on
 *   actorLabel, so that second case walks the trail newest first until a page is full.
 * - action -> [action, seq]; target -> [targetType, targetId, seq].
 * - time range -> a sequence range found through the [at] index: events are stamped inside the
 *   chain's head lock, so time and sequence rise together, and a seq range combines with every
 *   index above. The `at` condition stays too, so the boundaries are exact.
 * Returns null when the filter cannot match anything (no event in the time range).
 */
export async function auditWhere(filter: TAuditFilter, client: Db = db): Promise<AuditWhere | null> {
  const and: AuditWhere[] = [];
  if (filter.actor) {
    const user = await client.user.findUnique({ where: { email: filter.actor }, select: { id: true } });
    and.push(user ? { actorId: user.id } : { actorLabel: filter.actor });
  }
  if (filter.action) and.push({ action: filter.action });
  if (filter.targetType) and.push({ targetType: filter.targetType });
  if (filter.targetId) and.push({ targetId: filter.targetId });
  if (filter.from) {
    const first = await client.auditEvent.findFirst({
      where: { at: { gte: filter.from } },
      orderBy: [{ at: "asc" }, { seq: "asc" }],
      select: { seq: true },
    });
    if (!first) return null;
    and.push({ seq: { gte: first.seq } }, { at: { gte: filter.from } });
  }
  if (filter.to) {
    const end = new Date(filter.to.getTime() + 59_999); // "to 10:30" includes 10:30:59.999
    const last = await client.auditEvent.findFirst({
      where: { at: { lte: end } },
      orderBy: [{ at: "desc" }, { seq: "desc" }],
      select: { seq: true },
    });
    if (!last) return null;
    and.push({ seq: { lte: last.seq } }, { at: { lte: end } });
  }
  return and.length ? { AND: and } : {};
}

export type AuditCursor = { before?: number; after?: number };

export type AuditPage = {
  events: AuditRow[];
  /** Pass as `before` to see older events; null on the oldest page. */
  older: number | null;
  /** Pass as `after` to see newer events; null on the newest page. */
  newer: number | null;
};

export const AUDIT_PAGE_SIZE = 50;

/**
 * One page of the trail, newest first, keyset-paginated on seq: `before` walks to older events,
 * `after` back to newer ones. Never OFFSET, so page 20,000 costs what page 1 costs.
 */
/** `client` is for tools (benchmarks) that query another database. */
export async function auditPage(
  filter: TAuditFilter,
  cursor: AuditCursor = {},
  size = AUDIT_PAGE_SIZE,
  client: Db = db,
): Promise<AuditPage> {
  const where = await auditWhere(filter, client);
  if (!where) return { events: [], older: null, newer: null };
  const within = (seq: Prisma.IntFilter): AuditWhere => ({ AND: [where, { seq }] });

  let events: AuditRow[];
  let moreOlder: boolean;
  let moreNewer: boolean;
  if (cursor.after !== undefined) {
    const rows = await client.auditEvent.findMany({
      where: within({ gt: cursor.after }),
      select: ROW_SELECT,
      orderBy: { seq: "asc" },
      take: size + 1,
    });
    moreNewer = rows.length > size;
    events = rows.slice(0, size).reverse();
    moreOlder = true; // the page we came from
  } else {
    const rows = await client.auditEvent.findMany({
      where: cursor.before !== undefined ? within({ lt: cursor.before }) : where,
      select: ROW_SELECT,
      orderBy: { seq: "desc" },
      take: size + 1,
    });
    moreOlder = rows.length > size;
    events = rows.slice(0, size);
    moreNewer = cursor.before !== undefined;
  }
  const newest = events[0]?.seq;
  const oldest = events[events.length - 1]?.seq;
  // A link is only offered when a matching event lies beyond it (one indexed probe each way).
  if (moreNewer && newest !== undefined && cursor.after === undefined) {
    moreNewer = !!(await client.auditEvent.findFirst({ where: within({ gt: newest }), select: { seq: true }, orderBy: { seq: "asc" } }));
  }
  if (moreOlder && oldest !== undefined && cursor.after !== undefined) {
    moreOlder = !!(await client.auditEvent.findFirst({ where: within({ lt: oldest }), select: { seq: true }, orderBy: { seq: "desc" } }));
  }
  return {
    events,
    older: moreOlder && oldest !== undefined ? oldest : null,
    newer: moreNewer && newest !== undefined ? newest : null,
  };
}

export type LastVerification = { at: Date; by: string; intact: boolean; summary: string };

/** The most recent check recorded from the verify page (the [action, seq] index finds it at once). */
export async function lastVerification(): Promise<LastVerification | null> {
  const e = await db.auditEvent.findFirst({
    where: { action: "audit.verified" },
    orderBy: { seq: "desc" },
    select: { at: true, actorLabel: true, changes: true },
  });
  if (!e) return null;
  const c = JSON.parse(e.changes) as { result?: string; events?: number; brokenAt?: number; reason?: string };
  const intact = c.result === "intact";
  return {
    at: e.at,
    by: e.actorLabel,
    intact,
    summary: intact ? `intact, ${c.events ?? 0} events` : `broken at #${c.brokenAt ?? "?"}: ${c.reason ?? ""}`,
  };
}
