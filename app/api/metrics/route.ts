import { metrics } from "@/lib/observability/metrics";
import { metricsScrapeAllowed } from "@/lib/platform/metrics-auth";

export const dynamic = "force-dynamic";

/** Prometheus exposition of the portal's own request and process metrics. */
export async function GET(request: Request) {
  if (!metricsScrapeAllowed(request.headers.get("authorization"))) {
    return new Response("metrics need a valid bearer token\n", {
      status: 401,
      headers: { "WWW-Authenticate": 'Bearer realm="metrics"', "Content-Type": "text/plain" },
    });
  }
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
  });
}
