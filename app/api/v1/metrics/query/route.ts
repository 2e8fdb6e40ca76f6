import { defineHandler } from "@/lib/api/define-handler";
import { apiBusinessMetricView, queryBusinessMetric } from "@/lib/metrics/business";
import { ZBusinessMetricQuery } from "@/lib/metrics/business-schemas";

/** One metric over a range, downsampled: ?name=orders_placed&range=7d&agg=sum&label.region=eu */
export const GET = defineHandler(
  { name: "api.metrics.query", permission: "health.read", query: ZBusinessMetricQuery },
  async ({ query }) => apiBusinessMetricView(await queryBusinessMetric(query)),
);
