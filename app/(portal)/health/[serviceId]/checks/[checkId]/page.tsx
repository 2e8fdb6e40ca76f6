import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CheckForm } from "@/components/health/check-form";
import { requirePermission } from "@/lib/auth/guards";
import { getServiceCheck } from "@/lib/health/check-queries";
import { checkConfigOf, minIntervalSeconds } from "@/lib/health/check-schemas";
import { getServiceDetail } from "@/lib/services/queries";

export const metadata: Metadata = { title: "Edit health check" };

type Props = { params: Promise<{ serviceId: string; checkId: string }> };

export default async function EditCheckPage({ params }: Props) {
  await requirePermission("health.manage");
  const { serviceId, checkId } = await params;
  const [service, check] = await Promise.all([getServiceDetail(serviceId), getServiceCheck(serviceId, checkId)]);
  if (!service || !check) notFound();
  return (
    <div className="max-w-4xl space-y-4">
      <div>
        <h2 className="text-lg font-semibold">Edit {check.name}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {check.paused ? "Paused: saving does not resume it. " : ""}If someone else saves first, you will be asked to reload.
        </p>
      </div>
      <CheckForm
        serviceId={service.id}
        serviceName={service.name}
        check={{ ...checkConfigOf(check), id: check.id, revision: check.revision }}
        minIntervalSeconds={minIntervalSeconds()}
      />
    </div>
  );
}
