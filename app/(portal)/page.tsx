import type { Metadata } from "next";
import { AuditFeed } from "@/components/audit/audit-feed";
import { FreezeBanner } from "@/components/dashboard/freeze-banner";
import { UpcomingChanges } from "@/components/dashboard/upcoming-changes";
import { WaitingOnYou } from "@/components/dashboard/waiting-on-you";
import { CatalogueTable } from "@/components/services/catalogue-table";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { latestAuditEvents } from "@/lib/audit/queries";
import { requirePermission } from "@/lib/auth/guards";
import { workQueue } from "@/lib/changes/work-queue";
import { can } from "@/lib/rbac/permissions";
import { listServiceCatalogue } from "@/lib/services/queries";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requirePermission("dashboard.read");
  const showAudit = can(user.role, "audit.read");
  const showChanges = can(user.role, "change.read");
  const now = new Date();
  const [queue, services, events] = await Promise.all([
    workQueue(user, now),
    listServiceCatalogue(),
    showAudit ? latestAuditEvents(8) : Promise.resolve([]),
  ]);
  return (
    <>
      <PageHeader title={`Welcome, ${user.name.split(" ")[0]}`} description="What the change process needs from you, and what is coming up." />
      <FreezeBanner freezes={queue.freezes} now={now} />
      <div className="mb-6 grid gap-6 xl:grid-cols-5">
        <WaitingOnYou queue={queue} className={showChanges ? "xl:col-span-3" : "xl:col-span-5"} />
        {showChanges ? <UpcomingChanges changes={queue.upcoming} freezes={queue.freezes} className="xl:col-span-2" /> : null}
      </div>
      <div className="grid gap-6 xl:grid-cols-5">
        <Card title="Service catalogue" className={showAudit ? "xl:col-span-3" : "xl:col-span-5"}>
          <CatalogueTable services={services} filtered={false} />
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
