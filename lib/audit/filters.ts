import { z } from "zod";
import { blankAsUndefined as optional, utcMinute } from "../validation/query-params.ts";
import { AUDIT_ACTIONS } from "./actions.ts";

/** Target types the portal writes today; the filter accepts any, these are only suggestions. */
export const KNOWN_TARGET_TYPES = ["User", "Session", "Service", "ApiToken", "Setting", "IpRule"] as const;

export const ZAuditFilter = z
  .object({
    /** An exact email (any case) or the exact label of a system actor. */
    actor: optional(z.string().trim().max(191, "Actor is at most 191 characters.").transform((s) => s.toLowerCase())),
    action: optional(z.enum(AUDIT_ACTIONS, { message: "Choose an action from the list." })),
    targetType: optional(z.string().trim().max(64, "Target type is at most 64 characters.")),
    targetId: optional(z.string().trim().max(191, "Target id is at most 191 characters.")),
    from: optional(utcMinute),
    to: optional(utcMinute),
  })
  .superRefine((f, ctx) => {
    // The index is (targetType, targetId, seq): an id alone could only be found by scanning the trail.
    if (f.targetId && !f.targetType) {
      ctx.addIssue({ code: "custom", path: ["targetType"], message: "Enter the target type to search by target id." });
    }
    if (f.from && f.to && f.from > f.to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "“To” must not be before “From”." });
    }
  });
export type TAuditFilter = z.infer<typeof ZAuditFilter>;

export const FILTER_KEYS = ["actor", "action", "targetType", "targetId", "from", "to"] as const;

/** The filter as URL parameters (the form's own names and formats), so links keep the filter. */
export function filterParams(filter: TAuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  const minute = (d: Date) => d.toISOString().slice(0, 16);
  if (filter.actor) params.set("actor", filter.actor);
  if (filter.action) params.set("action", filter.action);
  if (filter.targetType) params.set("targetType", filter.targetType);
  if (filter.targetId) params.set("targetId", filter.targetId);
  if (filter.from) params.set("from", minute(filter.from));
  if (filter.to) params.set("to", minute(filter.to));
  return params;
}

/** Only the filter fields of a query string (page cursors and the like are not filters). */
export function filterInput(params: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string> {
  const get = (k: string) =>
    params instanceof URLSearchParams ? (params.get(k) ?? undefined) : [params[k]].flat()[0];
  const out: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = get(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Human summary of a filter for the audit event that records an export. */
export function describeFilter(filter: TAuditFilter): Record<string, string> {
  return Object.fromEntries(filterParams(filter));
}
