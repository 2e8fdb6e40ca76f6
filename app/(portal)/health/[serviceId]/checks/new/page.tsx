import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CheckForm } from "@/components/health/check-form";
import { requirePermission } from "@/lib/auth/guards";
import { minIntervalSeconds } from "@/lib/health/check-schemas";
import { getServiceDetail } from "@/lib/services/queries";

export const metadata: Metadata = { title: "New health check" };

type Props = { params: Promise<{ serviceId: string }> };

export default async function NewCheckPage({ params }: Props) {
  await requirePermission("health.manage");
  const service = await getServiceDetail((await params).serviceId);
  if (!service) notFound();
  return (
    <div className="max-w-4xl space-y-4">
      <div>
        <h2 className="text-lg font-semibold">New check</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">Try it with Test now before you add it.</p>
      </div>
      <CheckForm serviceId={service.id} serviceName={service.name} check={null} minIntervalSeconds={minIntervalSeconds()} />
    </div>
  );
}
