import type { Metadata } from "next";
import { ChangesTabs } from "@/components/changes/changes-tabs";
import { CreateFreezeForm } from "@/components/freeze/create-freeze-form";
import { FreezeWindowList } from "@/components/freeze/freeze-window-list";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import { listFreezeWindows } from "@/lib/freeze/queries";
import { can } from "@/lib/rbac/permissions";
import { formatDateTime } from "@/lib/ui/format";

export const metadata: Metadata = { title: "Freeze windows" };

export default async function FreezeWindowsPage() {
  const user = await requirePermission("change.read");
  const canManage = can(user.role, "freeze.manage");
  const { active, upcoming, past } = await listFreezeWindows();
  return (
    <>
      <PageHeader
        title="Freeze windows"
        description="Times when no change may be scheduled, unless it is an emergency with an override reason. All times in UTC."
      />
      <ChangesTabs />
      <div className="space-y-6">
        <Card title={`In force now (${active.length})`}>
          <FreezeWindowList freezes={active} state="active" canManage={canManage} empty="No freeze is in force right now." />
        </Card>
        <Card title={`Upcoming (${upcoming.length})`}>
          <FreezeWindowList freezes={upcoming} state="upcoming" canManage={canManage} empty="No freeze is planned." />
        </Card>
        {canManage ? (
          <Card title="Create a freeze window">
            <CreateFreezeForm nowUtc={formatDateTime(new Date())} />
          </Card>
        ) : null}
        <section aria-label="Past and cancelled freeze windows" className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <details>
            <summary className="cursor-pointer px-4 py-3 text-sm font-semibold">Past and cancelled ({past.length})</summary>
            <div className="border-t border-slate-200 dark:border-slate-800">
              <FreezeWindowList freezes={past} state="past" canManage={false} empty="None yet." />
            </div>
          </details>
        </section>
      </div>
    </>
  );
}
