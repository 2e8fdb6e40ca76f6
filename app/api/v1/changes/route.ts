import { z } from "zod";
import { defineHandler } from "@/lib/api/define-handler";
import { apiData } from "@/lib/api/http";
import { apiChangeList, API_MAX_PAGE_SIZE, API_PAGE_SIZE } from "@/lib/changes/api-view";
import { ZChangeQuery } from "@/lib/changes/filters";
import { ZCreateChangeInput } from "@/lib/changes/schemas";
import { createChange } from "@/lib/changes/service";
import { blankAsUndefined } from "@/lib/validation/query-params";

const ZListQuery = z.intersection(
  ZChangeQuery,
  z.object({
    cursor: blankAsUndefined(z.string().max(512, "That cursor is not one this API gave out.")),
    limit: blankAsUndefined(
      z.coerce
        .number({ message: "limit is a number." })
        .int("limit is a whole number.")
        .min(1, "limit is at least 1.")
        .max(API_MAX_PAGE_SIZE, `limit is at most ${API_MAX_PAGE_SIZE}.`),
    ),
  }),
);

/** The change list with the page's filters as query parameters; follow nextCursor for more. */
export const GET = defineHandler(
  { name: "api.changes.list", permission: "change.read", query: ZListQuery },
  async ({ principal, query: { cursor, limit, ...query } }) => apiChangeList(principal, query, cursor, limit ?? API_PAGE_SIZE),
);

/** Creates a DRAFT change as the token's owner, with the token's role; 201 with its number. */
export const POST = defineHandler(
  { name: "api.changes.create", permission: "change.create", body: ZCreateChangeInput },
  async ({ principal, body, request }) => {
    const actor = { ...principal.user, role: principal.role };
    const created = await createChange(actor, body, request, `api:${principal.tokenPrefix}`);
    return apiData({ change: created }, 201);
  },
);
