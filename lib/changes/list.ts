import type { CurrentUser } from "../auth/sessions.ts";
import { db, type Db, type Prisma } from "../db/client.ts";
import type { ChangeRisk, ChangeStatus, ChangeType } from "../db/generated/sqlite/enums.ts";
import { AppError } from "../errors.ts";
import { assertPermission } from "../rbac/assert.ts";
import { can, ROLES } from "../rbac/permissions.ts";
import type { ChangeSort, SortDir, TChangeQuery } from "./filters.ts";
import { formatChangeNumber, parseChangeNumber } from "./number.ts";

export type ChangeListRow = {
  id: string;
  number: number;
  /** CHG-000123 */
  reference: string;
  title: string;
  service: { id: string; name: string; environment: "PRODUCTION" | "STAGING" };
  type: ChangeType;
  risk: ChangeRisk;
  status: ChangeStatus;
  requester: { name: string; email: string };
  plannedStart: Date;
  plannedEnd: Date;
  createdAt: Date;
  flags: { retrospectiveDue: boolean };
};

const ROW_SELECT = {
  id: true,
  number: true,
  title: true,
  type: true,
  risk: true,
  status: true,
  plannedStart: true,
  plannedEnd: true,
  createdAt: true,
  retrospectiveAt: true,
  service: { select: { id: true, name: true, environment: true } },
  requester: { select: { name: true, email: true } },
} as const satisfies Prisma.ChangeRequestSelect;

type SelectedRow = Prisma.ChangeRequestGetPayload<{ select: typeof ROW_SELECT }>;

/** Statuses before approval: an emergency change only owes a retrospective once it has gone ahead. */
const NOT_YET_DECIDED: readonly ChangeStatus[] = ["DRAFT", "SUBMITTED", "REJECTED", "CANCELLED"];

/** An emergency change that went ahead (approved or later) and has no retrospective review yet. */
export function retrospectiveDue(c: { type: ChangeType; status: ChangeStatus; retrospectiveAt: Date | null }): boolean {
  return c.type === "EMERGENCY" && c.retrospectiveAt === null && !NOT_YET_DECIDED.includes(c.status);
}

function toRow(c: SelectedRow): ChangeListRow {
  const { retrospectiveAt: _retrospectiveAt, ...rest } = c;
  return {
    ...rest,
    reference: formatChangeNumber(c.number),
    flags: { retrospectiveDue: retrospectiveDue(c) },
  };
}

export type ChangeWhere = Prisma.ChangeRequestWhereInput;

/**
 * The filters as a Prisma condition, each served by an index: status -> [status, plannedStart],
 * service -> [serviceId, plannedStart], requester (an email, resolved to the user's id) ->
 * [requesterId, createdAt], type / risk -> [type|risk, createdAt], dates -> [plannedStart].
 * A number search is the unique index on number. A title search has no index (contains cannot
 * use one); it walks the sort order's index and stops when a page is full.
 * Returns null when nothing can match (no user has that email).
 */
export async function changeWhere(query: TChangeQuery, client: Db = db): Promise<ChangeWhere | null> {
  const and: ChangeWhere[] = [];
  if (query.status.length === 1) and.push({ status: query.status[0] });
  else if (query.status.length > 1) and.push({ status: { in: query.status } });
  if (query.service) and.push({ serviceId: query.service });
  if (query.type) and.push({ type: query.type });
  if (query.risk) and.push({ risk: query.risk });
  if (query.requester) {
    const user = await client.user.findUnique({ where: { email: query.requester }, select: { id: true } });
    if (!user) return null;
    and.push({ requesterId: user.id });
  }
  if (query.from) and.push({ plannedStart: { gte: query.from } });
  if (query.to) and.push({ plannedStart: { lt: new Date(query.to.getTime() + 86_400_000) } }); // the whole "to" day
  if (query.q) {
    const number = parseChangeNumber(query.q);
    if (number !== null) and.push({ number });
    else {
      // Prisma passes % and _ to LIKE unescaped: search for the literal pieces between them, and
      // titleMatch() below keeps only the titles that hold the whole text.
      const pieces = query.q.split(/[%_\\]+/).filter(Boolean);
      and.push(...(pieces.length ? pieces.map((p) => ({ title: { contains: p } })) : []));
    }
  }
  return and.length ? { AND: and } : {};
}

/**
 * The exact title test for a search holding LIKE's wildcards (% _) or its escape character, which
 * the database condition only approximates; null when the database condition is exact already.
 */
function titleMatch(query: TChangeQuery): ((title: string) => boolean) | null {
  if (!query.q || parseChangeNumber(query.q) !== null || !/[%_\\]/.test(query.q)) return null;
  const needle = query.q.toLowerCase();
  return (title) => title.toLowerCase().includes(needle);
}

// ---------------------------------------------------------------------------------------------
// Keyset pagination. A cursor names the last row seen by its sort value and id, so any page costs
// what the first one costs (no OFFSET). plannedStart and createdAt repeat, so id breaks ties; the
// number is unique on its own.

type CursorValue = { sort: ChangeSort; dir: SortDir; value: string | number; id: string };

function sortValue(row: { number: number; plannedStart: Date; createdAt: Date }, sort: ChangeSort): string | number {
  return sort === "number" ? row.number : row[sort].toISOString();
}

export function encodeCursor(c: CursorValue): string {
  return Buffer.from(JSON.stringify([c.sort, c.dir, c.value, c.id]), "utf8").toString("base64url");
}

const BAD_CURSOR = "This page link no longer matches the list (it was made for another sort). Start again from the first page.";

/** Throws AppError invalid_input for a cursor that is malformed or was made for another sort. */
export function decodeCursor(s: string, sort: ChangeSort, dir: SortDir): CursorValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
  } catch {
    throw new AppError("invalid_input", BAD_CURSOR, { cursor: BAD_CURSOR });
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw new AppError("invalid_input", BAD_CURSOR, { cursor: BAD_CURSOR });
  const [cSort, cDir, value, id] = parsed as unknown[];
  const valueOk =
    sort === "number" ? Number.isSafeInteger(value) : typeof value === "string" && !Number.isNaN(new Date(value).getTime());
  if (cSort !== sort || cDir !== dir || !valueOk || typeof id !== "string" || id.length > 64) {
    throw new AppError("invalid_input", BAD_CURSOR, { cursor: BAD_CURSOR });
  }
  return { sort, dir, value: value as string | number, id };
}

/**
 * Rows strictly after (`forward`) or before the cursor in the list's order, written as
 * `key <= v AND (key < v OR id < id0)` (for descending) so the database sees a plain range on the
 * sort column's index.
 */
function beyond(c: CursorValue, forward: boolean): ChangeWhere {
  const descending = (c.dir === "desc") === forward;
  if (c.sort === "number") return { number: descending ? { lt: c.value as number } : { gt: c.value as number } };
  const v = new Date(c.value as string);
  const key = c.sort;
  return {
    AND: [
      { [key]: descending ? { lte: v } : { gte: v } },
      { OR: [{ [key]: descending ? { lt: v } : { gt: v } }, { id: descending ? { lt: c.id } : { gt: c.id } }] },
    ],
  };
}

function orderBy(sort: ChangeSort, dir: SortDir): Prisma.ChangeRequestOrderByWithRelationInput[] {
  return sort === "number" ? [{ number: dir }] : [{ [sort]: dir }, { id: dir }];
}

const flip = (dir: SortDir): SortDir => (dir === "asc" ? "desc" : "asc");

export type ChangePageCursor = { after?: string; before?: string };

export type ChangePage = {
  changes: ChangeListRow[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
  /** Pass as `before` for the previous page; null on the first page. */
  prev: string | null;
};

export const CHANGE_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** One page of the list (no permission check: callers have checked change.read). */
export async function changePage(
  query: TChangeQuery,
  cursor: ChangePageCursor = {},
  size = CHANGE_PAGE_SIZE,
  client: Db = db,
): Promise<ChangePage> {
  const { sort, dir } = query;
  const after = cursor.after ? decodeCursor(cursor.after, sort, dir) : null;
  const before = !after && cursor.before ? decodeCursor(cursor.before, sort, dir) : null;
  const where = await changeWhere(query, client);
  if (!where) return { changes: [], next: null, prev: null };
  const toCursor = (r: SelectedRow) => encodeCursor({ sort, dir, value: sortValue(r, sort), id: r.id });

  const exact = titleMatch(query);
  // Several statuses in planned-start order: one walk of the [status, plannedStart] index per
  // status, merged here. As a single `status IN (...)` query SQLite reads every row of those
  // statuses and sorts them (50 ms at 100,000 changes); this reads at most `take` per status.
  const perStatus =
    sort === "plannedStart" && query.status.length > 1 && !exact
      ? await Promise.all(query.status.map((status) => changeWhere({ ...query, status: [status] }, client)))
      : null;
  /** `take` rows in `order` from `start`, skipping those the exact title test rejects. */
  const find = async (order: SortDir, start: ChangeWhere | null, take: number): Promise<SelectedRow[]> => {
    const base = start ? { AND: [where, start] } : where;
    if (perStatus) {
      const lists = await Promise.all(
        perStatus.map((w) =>
          client.changeRequest.findMany({ where: start ? { AND: [w!, start] } : w!, select: ROW_SELECT, orderBy: orderBy(sort, order), take }),
        ),
      );
      const sign = order === "asc" ? 1 : -1;
      return lists
        .flat()
        .sort((a, b) => sign * (a.plannedStart.getTime() - b.plannedStart.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
        .slice(0, take);
    }
    if (!exact) return client.changeRequest.findMany({ where: base, select: ROW_SELECT, orderBy: orderBy(sort, order), take });
    const out: SelectedRow[] = [];
    const batch = Math.max(take, 200);
    let from: ChangeWhere = base;
    for (;;) {
      const rows = await client.changeRequest.findMany({ where: from, select: ROW_SELECT, orderBy: orderBy(sort, order), take: batch });
      for (const r of rows) {
        if (exact(r.title)) out.push(r);
        if (out.length === take) return out;
      }
      const last = rows[rows.length - 1];
      if (rows.length < batch || !last) return out;
      from = { AND: [base, beyond({ sort, dir: order, value: sortValue(last, sort), id: last.id }, true)] };
    }
  };

  if (before) {
    // Walk backwards from the cursor, then put the page back in the list's order.
    const rows = await find(flip(dir), beyond(before, false), size + 1);
    const more = rows.length > size;
    const page = rows.slice(0, size).reverse();
    return {
      changes: page.map(toRow),
      next: page.length ? toCursor(page[page.length - 1]!) : null,
      prev: more && page.length ? toCursor(page[0]!) : null,
    };
  }
  const rows = await find(dir, after ? beyond(after, true) : null, size + 1);
  const page = rows.slice(0, size);
  return {
    changes: page.map(toRow),
    next: rows.length > size ? toCursor(page[page.length - 1]!) : null,
    prev: after && page.length ? toCursor(page[0]!) : null,
  };
}

/** The change list for a signed-in user or an API token's user. */
export async function listChanges(
  user: Pick<CurrentUser, "role">,
  query: TChangeQuery,
  cursor: ChangePageCursor = {},
  size = CHANGE_PAGE_SIZE,
): Promise<ChangePage> {
  assertPermission(user, "change.read");
  return changePage(query, cursor, Math.min(Math.max(1, size), MAX_PAGE_SIZE));
}

/**
 * Every matching row in the list's order, `batch` at a time by keyset as the caller pulls
 * (for exports: the whole result is never held in memory).
 */
export async function* allMatchingChanges(query: TChangeQuery, batch = 1_000, client: Db = db): AsyncGenerator<ChangeListRow[]> {
  let after: string | undefined;
  for (;;) {
    const page = await changePage(query, { after }, batch, client);
    if (page.changes.length) yield page.changes;
    if (!page.next) return;
    after = page.next;
  }
}

export type ChangeFilterOptions = {
  services: { id: string; name: string; environment: "PRODUCTION" | "STAGING" }[];
  requesters: { email: string; name: string }[];
};

/**
 * What the filter form offers: every service, and everyone whose role may raise changes. (Not
 * "everyone who has raised one": finding those means reading the requester index of every change.
 * Someone whose role has changed since is still found by their email in the URL or the API.)
 */
export async function changeFilterOptions(client: Db = db): Promise<ChangeFilterOptions> {
  const raisers = ROLES.filter((r) => can(r, "change.create"));
  const [services, requesters] = await Promise.all([
    client.service.findMany({ select: { id: true, name: true, environment: true }, orderBy: [{ name: "asc" }, { environment: "asc" }] }),
    client.user.findMany({
      where: { role: { in: raisers } },
      select: { email: true, name: true },
      orderBy: [{ name: "asc" }, { email: "asc" }],
    }),
  ]);
  return { services, requesters };
}
