import { z } from "zod";
import { defineHandler } from "@/lib/api/define-handler";
import { apiError } from "@/lib/api/http";
import { ingestBusinessMetrics, listBusinessMetrics, listBusinessMetricSeries } from "@/lib/metrics/business";

/** Pushes larger than this are refused before they are read (10,000 points fit in well under 2 MB). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Business metrics: `{ "series": [{ "name", "labels", "points": [{ "at", "value" }] }] }`, stored
 * all-or-nothing (a 400 names the item and stores nothing), upserted on (series, at). See
 * docs/business-metrics.md.
 */
export function POST(request: Request): Promise<Response> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    return Promise.resolve(apiError("invalid_input", "The push is larger than 4 MB: split it (at most 10,000 points per push).", { status: 413 }));
  }
  return defineHandler(
    // The body is checked by the domain, which names the exact item that is wrong.
    { name: "api.metrics.push", permission: "metrics.write", body: z.unknown() },
    ({ principal, body, request: context }) => ingestBusinessMetrics(principal, body, context),
  )(request);
}

/** Every metric with its series count and label values; `?name=` adds that metric's series. */
export const GET = defineHandler(
  { name: "api.metrics.list", permission: "health.read", query: z.object({ name: z.string().max(150).optional() }) },
  async ({ query }) => {
    const metrics = await listBusinessMetrics();
    return query.name ? { metrics, series: await listBusinessMetricSeries(query.name) } : { metrics };
  },
);
