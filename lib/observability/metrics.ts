import client from "prom-client";

/**
 * The portal's own Prometheus metrics. The custom server (server.ts) records requests and the
 * /api/metrics route renders them; the two can load this module through different loaders, so the
 * registry lives on globalThis to guarantee both see one set of series.
 */
type PortalMetrics = {
  registry: client.Registry;
  httpRequests: client.Counter<"method" | "route" | "status">;
  httpDuration: client.Histogram<"method" | "route" | "status">;
};

const KEY = Symbol.for("ops-portal.metrics");
const holder = globalThis as unknown as { [KEY]?: PortalMetrics };

function create(): PortalMetrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ app: "ops-portal" });
  client.collectDefaultMetrics({ register: registry });
  const httpRequests = new client.Counter({
    name: "http_requests_total",
    help: "HTTP requests served, by method, route pattern and status code",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const httpDuration = new client.Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration in seconds, by method, route pattern and status code",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration };
}

export function metrics(): PortalMetrics {
  return (holder[KEY] ??= create());
}

export function observeRequest(method: string, route: string, status: number, seconds: number): void {
  const m = metrics();
  const labels = { method, route, status: String(status) };
  m.httpRequests.inc(labels);
  m.httpDuration.observe(labels, seconds);
}
