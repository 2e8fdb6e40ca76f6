import type { Metadata } from "next";
import { HealthAreaTabs } from "@/components/health/health-area-tabs";
import { HealthFilterForm } from "@/components/health/health-filter-form";
import { HealthOverviewLive } from "@/components/health/health-overview-live";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import { healthOverview, ZHealthOverviewFilter } from "@/lib/health/overview";
import { can } from "@/lib/rbac/permissions";

export const metadata: Metadata = { title: "Health" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
const first = (v: string | string[] | undefined) => [v].flat()[0];

export default async function HealthOverviewPage({ searchParams }: Props) {
  const user = await requirePermission("health.read");
  const params = await searchParams;
  const filter = ZHealthOverviewFilter.parse({ environment: first(params.environment), team: first(params.team), page: first(params.page) });
  const overview = await healthOverview(filter);
  return (
    <>
      <PageHeader title="Health" description="Every service's current state from its probes, uptime and response time, and what was deployed last." />
      <div className="space-y-6">
        <HealthAreaTabs />
        <Card>
          <HealthFilterForm filter={filter} teams={overview.teams} />
        </Card>
        <HealthOverviewLive initial={overview} filter={filter} canManage={can(user.role, "health.manage")} />
      </div>
    </>
  );
}
