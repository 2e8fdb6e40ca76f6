import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ChecksTable } from "@/components/health/checks-table";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { displayState, listServiceChecks, type DisplayState } from "@/lib/health/check-queries";
import { can } from "@/lib/rbac/permissions";

export const metadata: Metadata = { title: "Health checks" };

type Props = { params: Promise<{ serviceId: string }> };

/** The service's checks (the layout has checked health.read and that the service exists). */
export default async function ServiceChecksPage({ params }: Props) {
  const user = await requirePermission("health.read");
  const { serviceId } = await params;
  const checks = await listServiceChecks(serviceId);
  const canManage = can(user.role, "health.manage");
  const counts = new Map<DisplayState, number>();
  for (const c of checks) counts.set(displayState(c), (counts.get(displayState(c)) ?? 0) + 1);
  const summary = (["UP", "DOWN", "PENDING", "PAUSED"] as const)
    .filter((s) => counts.get(s))
    .map((s) => `${counts.get(s)} ${s.toLowerCase()}`)
    .join(", ");
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold">Checks</h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {checks.length
              ? `${checks.length} check${checks.length === 1 ? "" : "s"}: ${summary}. Probed by the portal's worker on their interval.`
              : "Probed by the portal's worker on their interval."}
          </p>
        </div>
        {canManage ? (
          <Link
            href={`/health/${serviceId}/checks/new`}
            className="inline-flex items-center gap-2 rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
          >
            <Plus aria-hidden="true" className="h-4 w-4" />
            Add check
          </Link>
        ) : null}
      </div>
      <Card>
        {checks.length ? (
          <ChecksTable serviceId={serviceId} checks={checks} canManage={canManage} />
        ) : (
          <p className="px-4 py-6 text-sm text-slate-600 dark:text-slate-400">
            No checks yet.{" "}
            {canManage ? "Add an HTTP(S) or TCP check to start probing this service." : "Operators and administrators add them."}
          </p>
        )}
      </Card>
    </div>
  );
}
