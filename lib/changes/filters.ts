import { z } from "zod";
import type { ChangeRisk, ChangeStatus, ChangeType } from "../db/generated/sqlite/enums.ts";
import { blankAsUndefined as optional, multiValue, utcDay } from "../validation/query-params.ts";

export const CHANGE_STATUSES = [
  "DRAFT", "SUBMITTED", "APPROVED", "REJECTED", "SCHEDULED", "DEPLOYING",
  "DEPLOYED", "ROLLED_BACK", "FAILED", "CLOSED", "CANCELLED",
] as const satisfies readonly ChangeStatus[];
export const CHANGE_TYPES = ["STANDARD", "NORMAL", "EMERGENCY"] as const satisfies readonly ChangeType[];
export const CHANGE_RISKS = ["LOW", "MEDIUM", "HIGH"] as const satisfies readonly ChangeRisk[];

/** Columns the list can be ordered by; each is served by an index (see prisma/schema.prisma). */
export const CHANGE_SORTS = ["plannedStart", "createdAt", "number"] as const;
export type ChangeSort = (typeof CHANGE_SORTS)[number];
export type SortDir = "asc" | "desc";

export const DEFAULT_SORT: ChangeSort = "plannedStart";
export const DEFAULT_DIR: SortDir = "desc";

/**
 * What the change list, its CSV export and GET /api/v1/changes accept, with the same names in the
 * page's GET form and the API's query string:
 * status (several: ?status=A&status=B or ?status=A,B), service (id), type, risk, requester (email),
 * from / to (days, UTC, on the planned start; both inclusive), q (a number like CHG-000123 or 123
 * finds that change; anything else searches titles), sort and dir.
 */
export const ZChangeQuery = z
  .object({
    status: multiValue(z.enum(CHANGE_STATUSES, { message: "Choose statuses from the list." })).optional().default([]),
    service: optional(z.string().trim().max(64, "Service id is at most 64 characters.")),
    type: optional(z.enum(CHANGE_TYPES, { message: "Choose a type from the list." })),
    risk: optional(z.enum(CHANGE_RISKS, { message: "Choose a risk from the list." })),
    requester: optional(z.string().trim().max(191, "Requester is at most 191 characters.").transform((s) => s.toLowerCase())),
    from: optional(utcDay),
    to: optional(utcDay),
    q: optional(z.string().trim().max(200, "Search is at most 200 characters.")),
    sort: optional(z.enum(CHANGE_SORTS, { message: "Sort by plannedStart, createdAt or number." })).transform((s) => s ?? DEFAULT_SORT),
    dir: optional(z.enum(["asc", "desc"], { message: "Direction is asc or desc." })).transform((d) => d ?? DEFAULT_DIR),
  })
  .superRefine((f, ctx) => {
    if (f.from && f.to && f.from > f.to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "“To” must not be before “From”." });
    }
  });
export type TChangeQuery = z.infer<typeof ZChangeQuery>;

export const CHANGE_QUERY_KEYS = ["status", "service", "type", "risk", "requester", "from", "to", "q", "sort", "dir"] as const;

/** Only the filter and sort fields of a query string (page cursors are not filters). */
export function changeQueryInput(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of CHANGE_QUERY_KEYS) {
    const values = params instanceof URLSearchParams ? params.getAll(key) : [params[key] ?? []].flat();
    if (values.length) out[key] = key === "status" ? values : values[0]!;
  }
  return out;
}

/**
 * The query as URL parameters in the form's own names and formats, so links (pages, sort headers,
 * the export) keep it. Defaults are left out to keep URLs short.
 */
export function changeQueryParams(query: TChangeQuery, overrides: { sort?: ChangeSort; dir?: SortDir } = {}): URLSearchParams {
  const params = new URLSearchParams();
  const day = (d: Date) => d.toISOString().slice(0, 10);
  for (const s of query.status) params.append("status", s);
  if (query.service) params.set("service", query.service);
  if (query.type) params.set("type", query.type);
  if (query.risk) params.set("risk", query.risk);
  if (query.requester) params.set("requester", query.requester);
  if (query.from) params.set("from", day(query.from));
  if (query.to) params.set("to", day(query.to));
  if (query.q) params.set("q", query.q);
  const sort = overrides.sort ?? query.sort;
  const dir = overrides.dir ?? query.dir;
  if (sort !== DEFAULT_SORT || dir !== DEFAULT_DIR) {
    params.set("sort", sort);
    params.set("dir", dir);
  }
  return params;
}

/** True when anything narrows the list (sorting does not). */
export function isFiltered(query: TChangeQuery): boolean {
  return !!(query.status.length || query.service || query.type || query.risk || query.requester || query.from || query.to || query.q);
}

/** The query as a flat record for audit events (several statuses joined with commas). */
export function describeChangeQuery(query: TChangeQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of changeQueryParams(query)) out[key] = out[key] ? `${out[key]},${value}` : value;
  return out;
}

