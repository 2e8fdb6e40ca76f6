import { z } from "zod";
import { defineHandler } from "@/lib/api/define-handler";
import { apiChangeList, API_MAX_PAGE_SIZE, API_PAGE_SIZE } from "@/lib/changes/api-view";
import { ZChangeQuery } from "@/lib/changes/filters";
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
