import type { Metadata } from "next";
import { DatasourceForm } from "@/components/metrics/datasource-form";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { getDatasourceView } from "@/lib/metrics/datasource";

export const metadata: Metadata = { title: "Prometheus" };

const updated = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** The Prometheus data source behind every service's Infrastructure panels (administrators). */
export default async function PrometheusSettingsPage() {
  await requirePermission("metrics.configure");
  const view = await getDatasourceView();
  return (
    <div className="max-w-4xl space-y-6">
      <Card title="Prometheus data source">
        <p className="px-4 pt-4 text-sm text-slate-600 dark:text-slate-400">
          The Prometheus server the Infrastructure tab of each service and the API-performance page read from. The
          portal&apos;s server runs the queries; browsers only ever see the results.{" "}
          {view?.source === "env" ? (
            <>
              Nothing is saved yet: the <code className="font-mono">PROMETHEUS_URL</code> variable ({view.url}) is in use until you save a data source here.
            </>
          ) : view?.updatedAt ? (
            <>Last saved {updated.format(view.updatedAt)} UTC.</>
          ) : (
            <>No data source yet: panels say so until one is saved.</>
          )}
        </p>
        <DatasourceForm view={view} />
      </Card>
      <Card title="What the portal expects">
        <ul className="list-disc space-y-1.5 py-4 pl-8 pr-4 text-sm text-slate-600 dark:text-slate-400">
          <li>
            node_exporter metrics for CPU, memory, disk and network panels, narrowed per service by its node selector (for example{" "}
            <code className="font-mono">instance=&quot;db1:9100&quot;</code>).
          </li>
          <li>
            <code className="font-mono">http_requests_total</code> (with a <code className="font-mono">status</code> label) and{" "}
            <code className="font-mono">http_request_duration_seconds</code> for request rate, 5xx share and p95 latency, narrowed by the app selector.
          </li>
          <li>
            To chart the portal itself, scrape its <code className="font-mono">/api/metrics</code> (with <code className="font-mono">METRICS_TOKEN</code> as a bearer token when set).
          </li>
        </ul>
      </Card>
    </div>
  );
}
