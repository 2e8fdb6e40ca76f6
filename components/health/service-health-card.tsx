import Link from "next/link";
import { Card } from "@/components/ui/card";
import { formatValue } from "@/lib/charts/format";
import type { ServiceHealthSummary } from "@/lib/health/overview";
import { HealthStateBadge } from "./health-state-badge";

/** The service page's pointer to its health: current state, 24 h uptime and p95, and the charts. */
export function ServiceHealthCard({ serviceId, summary }: { serviceId: string; summary: ServiceHealthSummary }) {
  return (
    <Card title="Health" className="min-w-0">
      <div className="space-y-3 p-4 text-sm">
        <div className="flex items-center gap-2">
          <HealthStateBadge state={summary.state} />
          <span className="text-slate-600 dark:text-slate-400">
            {summary.checks.total ? `${summary.checks.up} of ${summary.checks.total} checks up` : "Nothing probes this service yet."}
          </span>
        </div>
        {summary.checks.total ? (
          <dl className="grid grid-cols-2 gap-2">
            <div>
              <dt className="text-xs text-slate-500 dark:text-slate-400">Uptime 24 h</dt>
              <dd className="font-semibold tabular-nums">{formatValue(summary.uptime24h, "percent")}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500 dark:text-slate-400">p95 24 h</dt>
              <dd className="font-semibold tabular-nums">{formatValue(summary.p95LatencyMs24h, "ms")}</dd>
            </div>
          </dl>
        ) : null}
        <Link href={summary.checks.total ? `/health/${serviceId}` : `/health/${serviceId}/checks/new`} className="inline-block font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          {summary.checks.total ? "Availability and response time" : "Add a health check"}
        </Link>
      </div>
    </Card>
  );
}
