import { Info } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { InfrastructurePanels } from "@/components/metrics/infrastructure-panels";
import { SelectorsForm } from "@/components/metrics/selectors-form";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { BUILTIN_PANELS, infrastructureView, NO_DATASOURCE_MESSAGE } from "@/lib/metrics/panels";
import { can } from "@/lib/rbac/permissions";

export const metadata: Metadata = { title: "Infrastructure" };

type Props = { params: Promise<{ serviceId: string }> };

/** A service's infrastructure metrics from Prometheus: ready-made panels by its selectors, and custom ones. */
export default async function InfrastructurePage({ params }: Props) {
  const user = await requirePermission("health.read");
  const view = await infrastructureView((await params).serviceId);
  if (!view) notFound();
  const canManage = can(user.role, "health.manage");
  const { service } = view;
  const noSelectors = !service.promNodeSelector && !service.promAppSelector;
  return (
    <div className="space-y-6">
      {!view.datasourceConfigured ? (
        <div role="status" className="flex items-start gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100">
          <Info aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
          <p>
            {NO_DATASOURCE_MESSAGE}
            {can(user.role, "metrics.configure") ? (
              <>
                {" "}
                <Link href="/admin/prometheus" className="font-semibold underline">
                  Configure Prometheus
                </Link>
              </>
            ) : null}
          </p>
        </div>
      ) : noSelectors ? (
        <div role="status" className="flex items-start gap-3 rounded-lg border border-indigo-200 bg-indigo-50 px-4 py-3 text-sm text-indigo-900 dark:border-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-100">
          <Info aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
          <p>
            {service.name} has no Prometheus selectors yet. Set a <strong>node selector</strong> (e.g. <code className="font-mono">instance=&quot;db1:9100&quot;</code>) for CPU, memory, disk and
            network, and an <strong>app selector</strong> (e.g. <code className="font-mono">job=&quot;{service.name}&quot;</code>) for request rate, errors and latency
            {canManage ? " below." : ": someone with the Operator role can set them."}
          </p>
        </div>
      ) : null}

      {view.datasourceConfigured ? (
        <InfrastructurePanels
          serviceId={service.id}
          builtins={BUILTIN_PANELS.map((p) => ({ key: p.key, title: p.title, unit: p.unit, group: p.group, ...(p.yDomain ? { yDomain: p.yDomain } : {}) }))}
          custom={view.customPanels.map((p) => ({ id: p.id, title: p.title, query: p.query, unit: p.unit }))}
          nodeSelector={service.promNodeSelector}
          appSelector={service.promAppSelector}
          canManage={canManage}
        />
      ) : null}

      {canManage ? (
        <Card title="Prometheus selectors">
          <p className="px-4 pt-4 text-sm text-slate-600 dark:text-slate-400">
            Which series belong to {service.name}: label matchers separated by commas, values in double quotes (<code className="font-mono">=</code>,{" "}
            <code className="font-mono">!=</code>, <code className="font-mono">=~</code>, <code className="font-mono">!~</code>).
          </p>
          <SelectorsForm serviceId={service.id} node={service.promNodeSelector} app={service.promAppSelector} />
        </Card>
      ) : null}
    </div>
  );
}
