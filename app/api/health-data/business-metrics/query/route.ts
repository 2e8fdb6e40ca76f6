import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { csvResponse } from "@/lib/export/csv";
import { businessMetricCsv, queryBusinessMetric } from "@/lib/metrics/business";
import { ZBusinessMetricQuery } from "@/lib/metrics/business-schemas";

/**
 * The chart of /health/business-metrics (polled by its auto-refresh, so it does not keep an idle
 * session alive); `?format=csv` downloads the same values.
 */
export const GET = defineSessionHandler(
  { name: "health.business_metrics.query", permission: "health.read", query: ZBusinessMetricQuery, touchSession: false },
  async ({ query }) => {
    const chart = await queryBusinessMetric(query);
    if (query.format === "csv") {
      const file = businessMetricCsv(chart);
      return csvResponse(file.body, file.filename);
    }
    return Response.json(chart, { headers: { "cache-control": "no-store" } });
  },
);
