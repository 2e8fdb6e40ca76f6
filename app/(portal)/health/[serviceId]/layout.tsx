import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { EnvironmentBadge, TierBadge } from "@/components/services/environment-badge";
import { TabsNav } from "@/components/ui/tabs-nav";
import { requirePermission } from "@/lib/auth/guards";
import { getServiceDetail } from "@/lib/services/queries";

type Props = { children: ReactNode; params: Promise<{ serviceId: string }> };

/** One service's health: its charts, its checks, its infrastructure panels and its maintenance. */
export default async function ServiceHealthLayout({ children, params }: Props) {
  await requirePermission("health.read");
  const service = await getServiceDetail((await params).serviceId);
  if (!service) notFound();
  const base = `/health/${service.id}`;
  return (
    <div className="space-y-5">
      <Link href="/health" className="inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        <ArrowLeft aria-hidden="true" className="h-4 w-4" />
        Health overview
      </Link>
      <div className="space-y-2">
        <h1 className="break-all text-2xl font-bold tracking-tight">
          {service.name} <span className="sr-only">health</span>
        </h1>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <EnvironmentBadge environment={service.environment} />
          <TierBadge tier={service.tier} />
          <span className="text-slate-600 dark:text-slate-400">
            Owned by <span className="font-medium text-slate-900 dark:text-slate-100">{service.ownerTeam}</span>
          </span>
          <Link href={`/services/${service.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            Service details
          </Link>
        </div>
      </div>
      <TabsNav
        label={`${service.name} health`}
        tabs={[
          { href: base, label: "Availability" },
          { href: `${base}/checks`, label: "Checks", within: `${base}/checks/` },
          { href: `${base}/infrastructure`, label: "Infrastructure" },
          { href: `${base}/maintenance`, label: "Maintenance" },
        ]}
      />
      {children}
    </div>
  );
}
