import { z } from "zod";
import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { resolveRange, ZRangeQuery } from "@/lib/charts/range";
import { runServicePanel } from "@/lib/metrics/panels";
import { panelResponse, prometheusErrorResponse } from "@/lib/metrics/respond";

/**
 * One Infrastructure panel of a service, queried server-side (the browser never talks to
 * Prometheus): `?panel=cpu|memory|disk|network|requests|errors|latency|custom:<id>&range=24h`,
 * `&format=csv` for the same points as CSV. Custom PromQL comes only from saved panels.
 */
export const GET = defineSessionHandler(
  {
    name: "metrics.panel_read",
    permission: "health.read",
    query: ZRangeQuery.and(
      z.object({
        panel: z.string().trim().min(1, "Name the panel.").max(80),
        format: z.enum(["json", "csv"]).default("json"),
      }),
    ),
    params: z.object({ serviceId: z.string().min(1).max(64) }),
    touchSession: false,
  },
  async ({ query, params }) => {
    try {
      const panel = await runServicePanel(params.serviceId, query.panel, resolveRange(query));
      return panelResponse(panel, query.format === "csv");
    } catch (err) {
      return prometheusErrorResponse(err);
    }
  },
);
