import { z } from "zod";
import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { resolveRange, ZRangeQuery } from "@/lib/charts/range";
import { runPortalPanel } from "@/lib/metrics/panels";
import { panelResponse, prometheusErrorResponse } from "@/lib/metrics/respond";

/** The portal's own request rate and latency over time, from Prometheus (the API-performance page). */
export const GET = defineSessionHandler(
  {
    name: "metrics.portal_panel_read",
    permission: "metrics.configure",
    query: ZRangeQuery.and(z.object({ panel: z.string().trim().min(1).max(80), format: z.enum(["json", "csv"]).default("json") })),
    touchSession: false,
  },
  async ({ user, query }) => {
    try {
      const panel = await runPortalPanel(user, query.panel, resolveRange(query));
      return panelResponse(panel, query.format === "csv");
    } catch (err) {
      return prometheusErrorResponse(err);
    }
  },
);
