import { z } from "zod";
import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { csvResponse } from "@/lib/export/csv";
import { serviceHealthSeries, seriesCsv, ZServiceSeriesQuery } from "@/lib/health/service-health";

/**
 * A service's availability, p50/p95 latency and error rate per bucket (all checks, or `?check=`),
 * over `?range=` (1h, 24h, 7d, 30d, custom with from/to); `?format=csv` downloads the same rows.
 */
export const GET = defineSessionHandler(
  { name: "health.series", permission: "health.read", query: ZServiceSeriesQuery, params: z.object({ serviceId: z.string().max(64) }), touchSession: false },
  async ({ query, params }) => {
    const result = await serviceHealthSeries(params.serviceId, query);
    if (query.format === "csv") {
      const file = seriesCsv(result);
      return csvResponse(file.body, file.filename);
    }
    return Response.json(result, { headers: { "cache-control": "no-store" } });
  },
);
