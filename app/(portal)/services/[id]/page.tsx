import { ArrowLeft, ExternalLink, Pencil } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EnvironmentBadge, TierBadge } from "@/components/services/environment-badge";
import { DeploymentTable } from "@/components/deployments/deployment-table";
import { DeploymentTargetCard } from "@/components/deployments/deployment-target-card";
import { RefreshLiveButton } from "@/components/deployments/refresh-live-button";
import { ServiceHealthCard } from "@/components/health/service-health-card";
import { RecentChangesTable } from "@/components/services/recent-changes-table";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { getDeploymentTargetView, recentDeployments } from "@/lib/deployments/queries";
import { can, ROLE_LABELS } from "@/lib/rbac/permissions";
import { serviceHealthSummary } from "@/lib/health/overview";
import { getServiceDetail } from "@/lib/services/queries";
import { SERVICE_LINKS } from "@/lib/services/schemas";
import { formatDateTime } from "@/lib/ui/format";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const service = await getServiceDetail((await params).id);
  return { title: service ? service.name : "Service not found" };
}

export default async function ServicePage({ params }: Props) {
  const user = await requirePermission("service.read");
  const service = await getServiceDetail((await params).id);
  if (!service) notFound();
  const mayReadDeployments = can(user.role, "deployment.read");
  const [target, deployments] = mayReadDeployments
    ? await Promise.all([getDeploymentTargetView(service.id), recentDeployments({ serviceId: service.id }, 10)])
    : [null, []];
  const health = can(user.role, "health.read") ? await serviceHealthSummary(service.id) : null;
  const links = SERVICE_LINKS.map((l) => ({ ...l, url: service[l.field] })).filter((l) => l.url);
  return (
    <div className="space-y-5">
      <Link href="/services" className="inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        <ArrowLeft aria-hidden="true" className="h-4 w-4" />
        All services
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-2">
          <h1 className="break-all text-2xl font-bold tracking-tight">{service.name}</h1>
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <EnvironmentBadge environment={service.environment} />
            <TierBadge tier={service.tier} />
            <span className="text-slate-600 dark:text-slate-400">
              Owned by <span className="font-medium text-slate-900 dark:text-slate-100">{service.ownerTeam}</span>
            </span>
          </div>
        </div>
        {can(user.role, "service.write") ? (
          <Link
            href={`/services/${service.id}/edit`}
            className="inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
          >
            <Pencil aria-hidden="true" className="h-4 w-4" />
            Edit service
          </Link>
        ) : null}
      </div>

      <div className="grid gap-5 lg:grid-cols-3 lg:items-start">
        <Card title="About" className="min-w-0 lg:col-span-2">
          <div className="space-y-4 p-4">
            <p className="whitespace-pre-line text-sm">
              {service.description || <span className="text-slate-500 dark:text-slate-400">No description yet.</span>}
            </p>
            <dl className="grid gap-x-6 gap-y-1 text-xs text-slate-500 sm:flex sm:flex-wrap dark:text-slate-400">
              <div className="sm:flex sm:gap-1.5">
                <dt>Registered</dt>
                <dd>{formatDateTime(service.createdAt)}</dd>
              </div>
              <div className="sm:flex sm:gap-1.5">
                <dt>Last edited</dt>
                <dd>{formatDateTime(service.updatedAt)}</dd>
              </div>
            </dl>
          </div>
        </Card>
        <div className="min-w-0 space-y-5">
        {health ? <ServiceHealthCard serviceId={service.id} summary={health} /> : null}
        <Card title="Links" className="min-w-0">
          {links.length ? (
            <ul className="divide-y divide-slate-100 dark:divide-slate-800">
              {links.map((l) => (
                <li key={l.field} className="px-4 py-2.5 text-sm">
                  <a
                    href={l.url}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="inline-flex items-center gap-1.5 font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                  >
                    {l.label}
                    <ExternalLink aria-hidden="true" className="h-3.5 w-3.5" />
                    <span className="sr-only">(opens in a new tab)</span>
                  </a>
                  <span className="block break-all text-xs text-slate-500 dark:text-slate-400">
                    {l.url}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="px-4 py-4 text-sm text-slate-500 dark:text-slate-400">No repository, runbook or dashboard linked yet.</p>
          )}
        </Card>
        </div>
      </div>

      <div className="grid gap-5 lg:grid-cols-3 lg:items-start">
        <Card title={`Stakeholders (${service.stakeholders.length})`} className="min-w-0">
          {service.stakeholders.length ? (
            <ul className="divide-y divide-slate-100 dark:divide-slate-800">
              {service.stakeholders.map((p) => {
                const canSignOff = p.active && can(p.role, "change.uat_signoff");
                return (
                  <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2.5 text-sm">
                    <div className="min-w-0">
                      <p className="font-medium">{p.name}</p>
                      <a href={`mailto:${p.email}`} className="block truncate text-xs text-slate-500 hover:underline dark:text-slate-400">
                        {p.email}
                      </a>
                    </div>
                    {canSignOff ? (
                      <Badge>{ROLE_LABELS[p.role]}</Badge>
                    ) : (
                      <Badge tone="warning">{p.active ? "Cannot sign off UAT any more" : "Deactivated"}</Badge>
                    )}
                  </li>
                );
              })}
            </ul>
          ) : (
            <p className="px-4 py-4 text-sm text-slate-500 dark:text-slate-400">
              Nobody is named. Changes to this service need no stakeholder sign-off until someone is.
            </p>
          )}
        </Card>
        <Card title="Recent changes" className="min-w-0 lg:col-span-2">
          <RecentChangesTable changes={service.recentChanges} />
        </Card>
      </div>

      {mayReadDeployments ? (
        <div className="grid gap-5 lg:grid-cols-3 lg:items-start">
          <DeploymentTargetCard
            target={target}
            refresh={target && can(user.role, "deployment.trigger") ? <RefreshLiveButton serviceId={service.id} /> : undefined}
            configureHref={can(user.role, "deployment.configure") ? `/services/${service.id}/deployment-target` : undefined}
          />
          <section
            aria-labelledby="service-deployments"
            className="min-w-0 rounded-xl border border-slate-200 bg-white shadow-sm lg:col-span-2 dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
              <h2 id="service-deployments" className="text-sm font-semibold">
                Deployment history
              </h2>
              {deployments.length ? (
                <Link href={`/deployments?service=${service.id}`} className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  Every deployment of {service.name}
                </Link>
              ) : null}
            </div>
            {deployments.length ? (
              <DeploymentTable deployments={deployments} caption={`Latest deployments of ${service.name}, newest first`} hide={["service"]} />
            ) : (
              <p className="px-4 py-4 text-sm text-slate-500 dark:text-slate-400">Not deployed through the portal yet.</p>
            )}
          </section>
        </div>
      ) : null}
    </div>
  );
}
