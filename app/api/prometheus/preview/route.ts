import { z } from "zod";
import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { UNITS } from "@/lib/charts/format";
import { resolveRange, ZRangeQuery } from "@/lib/charts/range";
import { previewQuery } from "@/lib/metrics/panels";
import { panelResponse, prometheusErrorResponse } from "@/lib/metrics/respond";

/** The panel editor's "Preview": an unsaved PromQL query, for people who may save panels (health.manage). */
export const GET = defineSessionHandler(
  {
    name: "metrics.panel_preview",
    permission: "health.manage",
    query: ZRangeQuery.and(
      z.object({
        query: z.string().max(4000, "Keep the query under 4,000 characters."),
        unit: z.enum(UNITS).default(""),
        title: z.string().max(120).default(""),
        format: z.enum(["json", "csv"]).default("json"),
      }),
    ),
  },
  async ({ user, query }) => {
    try {
      const panel = await previewQuery(user, { query: query.query, unit: query.unit, title: query.title }, resolveRange(query));
      return panelResponse(panel, query.format === "csv");
    } catch (err) {
      return prometheusErrorResponse(err);
    }
  },
);
