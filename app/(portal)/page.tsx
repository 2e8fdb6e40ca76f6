import type { Metadata } from "next";
import { AuditFeed } from "@/components/audit/audit-feed";
import { ServiceTable } from "@/components/services/service-table";
import { Card, Stat } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { latestAuditEvents } from "@/lib/audit/queries";
import { requirePermission } from "@/lib/auth/guards";
import { can } from "@/lib/rbac/permissions";
import { listServices } from "@/lib/services/queries";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requirePermission("dashboard.read");
  const showAudit = can(user.role, "audit.read");
  const [services, events] = await Promise.all([
    listServices(),
    showAudit ? latestAuditEvents(8) : Promise.resolve([]),
  ]);
  const production = services.filter((s) => s.environment === "PRODUCTION");
  const teams = new Set(services.map((s) => s.ownerTeam));
  return (
    <>
      <PageHeader title={`Welcome, ${user.name.split(" ")[0]}`} description="The state of production at a glance." />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Services" value={services.length} hint={`${production.length} in production`} />
        <Stat label="Tier 1 in production" value={production.filter((s) => s.tier === 1).length} hint="Business critical" />
        <Stat label="Owner teams" value={teams.size} />
        <Stat label="Environments" value={new Set(services.map((s) => s.environment)).size} />
      </div>
      <div className="grid gap-6 xl:grid-cols-5">
        <Card title="Service catalogue" className="xl:col-span-3">
          <ServiceTable services={services} />
        </Card>
        {showAudit ? (
          <Card title="Latest audit events" className="xl:col-span-2">
            <AuditFeed events={events} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
