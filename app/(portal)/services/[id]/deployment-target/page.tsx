import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TargetForm } from "@/components/deployments/target-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import { driverAvailable } from "@/lib/deployments/drivers/index";
import { getDeploymentTargetView } from "@/lib/deployments/queries";
import { getServiceDetail } from "@/lib/services/queries";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Deployment target" };

/** Administrators only: the command driver runs shell commands on the portal host. */
export default async function DeploymentTargetPage({ params }: Props) {
  await requirePermission("deployment.configure");
  const service = await getServiceDetail((await params).id);
  if (!service) notFound();
  const target = await getDeploymentTargetView(service.id);
  return (
    <div className="max-w-4xl space-y-5">
      <Link href={`/services/${service.id}`} className="inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        <ArrowLeft aria-hidden="true" className="h-4 w-4" />
        {service.name}
      </Link>
      <PageHeader
        title={`Deployment target of ${service.name}`}
        description="Where the blue and green colours answer, how they are checked, and how the portal moves traffic between them."
      />
      {target?.activeDeployment ? (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200">
          {target.activeDeployment.reference} is running: the target cannot be changed until it finishes.
        </p>
      ) : null}
      <TargetForm
        serviceId={service.id}
        serviceName={service.name}
        available={(["COMMAND", "NGINX", "WEBHOOK"] as const).filter((d) => driverAvailable(d))}
        values={
          target
            ? {
                driver: target.driver,
                blueUrl: target.urls.BLUE,
                greenUrl: target.urls.GREEN,
                healthPath: target.healthPath,
                healthSuccesses: target.health.successes,
                healthIntervalMs: target.health.intervalMs,
                healthTimeoutMs: target.health.timeoutMs,
                validationWindowMs: target.validation.windowMs,
                validationIntervalMs: target.validation.intervalMs,
                maxErrorRatePct: target.validation.maxErrorRatePct,
                maxP95LatencyMs: target.validation.maxP95LatencyMs,
                driverConfig: target.driverConfig,
                hasWebhookSecret: target.hasWebhookSecret,
              }
            : null
        }
      />
    </div>
  );
}
