import type { Metadata } from "next";
import { MaintenanceList } from "@/components/health/maintenance-list";
import { ScheduleMaintenanceForm } from "@/components/health/schedule-maintenance-form";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { listMaintenance } from "@/lib/health/maintenance";
import { MAX_MAINTENANCE_DAYS } from "@/lib/health/maintenance-schemas";
import { can } from "@/lib/rbac/permissions";
import { formatDateTime } from "@/lib/ui/format";

export const metadata: Metadata = { title: "Maintenance" };

type Props = { params: Promise<{ serviceId: string }> };

/** The service's maintenance windows (the layout has checked health.read and that the service exists). */
export default async function MaintenancePage({ params }: Props) {
  const user = await requirePermission("health.read");
  const { serviceId } = await params;
  const canManage = can(user.role, "health.manage");
  const { active, upcoming, past } = await listMaintenance(serviceId);
  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-lg font-semibold">Maintenance</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Planned work: checks keep probing, but state changes inside a window are recorded muted (no alerts) and the window is shown on the
          charts. All times in UTC.
        </p>
      </div>
      <Card title={`In progress (${active.length})`}>
        <MaintenanceList windows={active} state="active" canManage={canManage} empty="No maintenance is in progress." />
      </Card>
      <Card title={`Upcoming (${upcoming.length})`}>
        <MaintenanceList windows={upcoming} state="upcoming" canManage={canManage} empty="No maintenance is planned." />
      </Card>
      {canManage ? (
        <Card title="Schedule maintenance">
          <ScheduleMaintenanceForm serviceId={serviceId} nowUtc={formatDateTime(new Date())} maxDays={MAX_MAINTENANCE_DAYS} />
        </Card>
      ) : null}
      <section aria-label="Past and cancelled maintenance" className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <details>
          <summary className="cursor-pointer px-4 py-3 text-sm font-semibold">Past and cancelled ({past.length})</summary>
          <div className="border-t border-slate-200 dark:border-slate-800">
            <MaintenanceList windows={past} state="past" canManage={false} empty="None yet." />
          </div>
        </details>
      </section>
    </div>
  );
}
