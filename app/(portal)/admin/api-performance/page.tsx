import type { Metadata } from "next";
import Link from "next/link";
import { ApiLatencyBars, ApiPerformanceTable } from "@/components/metrics/api-performance-table";
import { PortalCharts } from "@/components/metrics/portal-charts";
import { Card, Stat } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { apiPerformance } from "@/lib/metrics/api-performance";
import { getDatasourceView } from "@/lib/metrics/datasource";

export const metadata: Metadata = { title: "API performance" };
export const dynamic = "force-dynamic";

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** The portal's own request metrics: this instance since it started, and Prometheus' history when configured. */
export default async function ApiPerformancePage() {
  const user = await requirePermission("metrics.configure");
  const [perf, datasource] = await Promise.all([apiPerformance(user), getDatasourceView()]);
  const errorRate = perf.totals.requests ? (perf.totals.errors / perf.totals.requests) * 100 : 0;
  const busiest = perf.routes[0];
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Every request this portal instance ({perf.instance}) has served since it started, {when.format(perf.since)} UTC, by route pattern, from the same
        histograms <code className="font-mono">/api/metrics</code> exposes. Percentiles are estimated from the histogram buckets as Prometheus&apos;{" "}
        <code className="font-mono">histogram_quantile</code> does. Other instances and earlier runs are not included: for those, see the charts from Prometheus below.
      </p>
      <div className="grid gap-4 sm:grid-cols-3">
        <Stat label="Requests" value={perf.totals.requests.toLocaleString("en-GB")} hint={`${perf.routes.length} routes`} />
        <Stat label="5xx share" value={`${errorRate.toFixed(2)} %`} hint={`${perf.totals.errors.toLocaleString("en-GB")} server errors`} />
        <Stat label="Busiest route" value={<span className="break-all font-mono text-base">{busiest ? busiest.route : "–"}</span>} hint={busiest ? `${busiest.requests.toLocaleString("en-GB")} requests, p95 ${busiest.p95Ms ?? "–"} ms` : undefined} />
      </div>
      <Card title="Per route">
        {perf.routes.length ? (
          <>
            <ApiLatencyBars routes={perf.routes} />
            <ApiPerformanceTable routes={perf.routes} />
          </>
        ) : (
          <p className="p-4 text-sm text-slate-600 dark:text-slate-400">No requests recorded yet on this instance.</p>
        )}
      </Card>
      <Card title="Over time, from Prometheus">
        {datasource ? (
          <PortalCharts />
        ) : (
          <p className="p-4 text-sm text-slate-600 dark:text-slate-400">
            No Prometheus data source is configured, so there is no history. <Link href="/admin/prometheus" className="font-semibold text-indigo-700 underline dark:text-indigo-300">Add one</Link> and
            have it scrape this portal&apos;s <code className="font-mono">/api/metrics</code>.
          </p>
        )}
      </Card>
    </div>
  );
}
