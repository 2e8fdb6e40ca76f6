import { KeyRound } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { BusinessMetricsExplorer, type ExplorerState } from "@/components/health/business-metrics-explorer";
import { HealthAreaTabs } from "@/components/health/health-area-tabs";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import { RANGE_PRESETS } from "@/lib/charts/range";
import { REFRESH_MS } from "@/lib/charts/refresh";
import { listBusinessMetrics } from "@/lib/metrics/business";
import { AGGREGATIONS, type Aggregation } from "@/lib/metrics/business-schemas";
import { can } from "@/lib/rbac/permissions";

export const metadata: Metadata = { title: "Business metrics" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => [v].flat()[0] || undefined;

/** The page's URL -> what the explorer shows; anything unknown falls back to a default. */
function stateFromParams(params: Record<string, string | string[] | undefined>, fallbackMetric: string): ExplorerState {
  const range = first(params.range);
  const agg = first(params.agg);
  const refresh = Number(first(params.refresh) ?? 0);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const v = first(value);
    if (key.startsWith("label.") && v) labels[key.slice(6)] = v;
  }
  const custom = range === "custom" && first(params.from) && first(params.to);
  return {
    metric: first(params.metric) ?? fallbackMetric,
    agg: AGGREGATIONS.includes(agg as Aggregation) ? (agg as Aggregation) : "avg",
    labels,
    range: custom
      ? { range: "custom", from: first(params.from), to: first(params.to) }
      : { range: RANGE_PRESETS.find((p) => p === range) ?? "24h" },
    refresh: REFRESH_MS.includes(refresh * 1000) ? refresh : 0,
  };
}

async function portalOrigin(): Promise<string> {
  if (process.env.PORTAL_URL) return process.env.PORTAL_URL.replace(/\/$/, "");
  const h = await headers();
  return `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`;
}

export default async function BusinessMetricsPage({ searchParams }: Props) {
  const user = await requirePermission("health.read");
  const metrics = await listBusinessMetrics();
  const state = stateFromParams(await searchParams, metrics[0]?.name ?? "");

  return (
    <>
      <PageHeader
        title="Business metrics"
        description="Numbers your services push to the portal (orders, revenue, sign-ups…), charted next to their health. Each label set is its own line."
      />
      <HealthAreaTabs />
      {metrics.length ? (
        <BusinessMetricsExplorer
          initialMetrics={metrics.map((m) => ({ ...m, lastAt: m.lastAt?.toISOString() ?? null }))}
          initialState={state}
        />
      ) : (
        <FirstPush origin={await portalOrigin()} canPush={can(user.role, "metrics.write")} />
      )}
    </>
  );
}

function FirstPush({ origin, canPush }: { origin: string; canPush: boolean }) {
  const now = new Date();
  now.setUTCSeconds(0, 0);
  const example = `curl -X POST ${origin}/api/v1/metrics \\
  -H "Authorization: Bearer $OPS_PORTAL_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"series": [{"name": "orders_placed", "labels": {"region": "eu"},
       "points": [{"at": "${now.toISOString().replace(".000Z", "Z")}", "value": 42}]}]}'`;
  return (
    <section aria-labelledby="first-push" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h2 id="first-push" className="text-base font-semibold">
        No business metrics yet
      </h2>
      <p className="mt-2 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
        Services, jobs and scripts push their numbers with an API token whose role is Operator or Admin: a name, optional labels, and
        timestamped values. A push is stored whole or not at all, and pushing the same point again replaces its value, so retries are
        safe. The first push makes the metric appear here.
      </p>
      <ol className="mt-4 list-decimal space-y-3 pl-5 text-sm">
        <li>
          {canPush ? (
            <>
              <Link href="/account/tokens" className="inline-flex items-center gap-1 font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                <KeyRound aria-hidden="true" className="h-4 w-4" />
                Create an API token
              </Link>{" "}
              (role Operator or Admin) and keep it in <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">OPS_PORTAL_TOKEN</code>.
            </>
          ) : (
            <>Ask an operator or an administrator for an API token that may push metrics, and keep it in OPS_PORTAL_TOKEN.</>
          )}
        </li>
        <li>
          Push a point:
          <pre className="mt-2 overflow-x-auto rounded-lg bg-slate-900 p-3 text-xs leading-relaxed text-slate-100 dark:bg-slate-950">
            <code>{example}</code>
          </pre>
        </li>
        <li>
          The answer is <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">{'{"data": {"series": 1, "points": 1}}'}</code>; a 400 names the item that is wrong and stores nothing.
          Limits, label rules and the query API are in <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">docs/business-metrics.md</code>.
        </li>
      </ol>
    </section>
  );
}
