import { Settings } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { DRIVER_LABELS, formatDuration } from "@/lib/deployments/labels";
import type { DeploymentTargetView } from "@/lib/deployments/queries";
import { formatDateTime, timeAgo } from "@/lib/ui/format";
import { ColourName, DeploymentStatusBadge } from "./deployment-badges";

const linkClass =
  "inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800";

/**
 * How the portal deploys this service: the driver, the two colours, which one the target said is
 * live when last asked (the target is the truth, the portal only remembers its last answer), and
 * the deployment holding the service, if any. `refresh` is the read-back button (deployment.trigger
 * holders); `configureHref` the admin's form.
 */
export function DeploymentTargetCard({
  target,
  refresh,
  configureHref,
}: {
  target: DeploymentTargetView | null;
  refresh?: ReactNode;
  configureHref?: string;
}) {
  const configure = configureHref ? (
    <Link href={configureHref} className={linkClass}>
      <Settings aria-hidden="true" className="h-4 w-4" />
      {target ? "Edit target" : "Configure target"}
    </Link>
  ) : null;
  if (!target) {
    return (
      <Card title="Deployment target" className="min-w-0">
        <div className="space-y-3 p-4 text-sm">
          <p className="text-slate-600 dark:text-slate-400">
            Not configured: the portal cannot deploy this service until an admin sets its blue and green addresses and a driver.
          </p>
          {configure}
        </div>
      </Card>
    );
  }
  const row = "space-y-0.5 px-4 py-2.5";
  const dt = "text-xs text-slate-500 dark:text-slate-400";
  return (
    <Card title="Deployment target" className="min-w-0">
      <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
        <div className={row}>
          <dt className={dt}>Live colour</dt>
          <dd className="space-y-2">
            <p className="text-base font-semibold">
              <ColourName colour={target.liveColour} empty={target.liveCheckedAt ? "Nothing live" : "Not read yet"} />
            </p>
            <p className="text-xs text-slate-500 dark:text-slate-400">
              {target.liveCheckedAt ? (
                <>
                  Read back from the target{" "}
                  <time dateTime={target.liveCheckedAt.toISOString()} title={formatDateTime(target.liveCheckedAt)}>
                    {timeAgo(target.liveCheckedAt)}
                  </time>{" "}
                  ({formatDateTime(target.liveCheckedAt)})
                </>
              ) : (
                "The target has not been asked yet."
              )}
            </p>
            {refresh}
          </dd>
        </div>
        <div className={row}>
          <dt className={dt}>Deploying now</dt>
          <dd>
            {target.activeDeployment ? (
              <span className="inline-flex flex-wrap items-center gap-2">
                <Link href={`/deployments/${target.activeDeployment.reference}`} className="font-mono text-xs font-semibold text-indigo-700 hover:underline dark:text-indigo-300">
                  {target.activeDeployment.reference}
                </Link>
                <DeploymentStatusBadge status={target.activeDeployment.status} />
                <span className="font-mono text-xs">{target.activeDeployment.version}</span>
              </span>
            ) : (
              <span className="text-slate-500 dark:text-slate-400">Nothing: the service is free</span>
            )}
          </dd>
        </div>
        <div className={row}>
          <dt className={dt}>Driver</dt>
          <dd>{DRIVER_LABELS[target.driver]}</dd>
        </div>
        <div className={row}>
          <dt className={dt}>Blue</dt>
          <dd className="break-all font-mono text-xs">{target.urls.BLUE}</dd>
        </div>
        <div className={row}>
          <dt className={dt}>Green</dt>
          <dd className="break-all font-mono text-xs">{target.urls.GREEN}</dd>
        </div>
        <div className={row}>
          <dt className={dt}>Health check</dt>
          <dd>
            <span className="font-mono text-xs">{target.healthPath}</span>: {target.health.successes} passes in a row within{" "}
            {formatDuration(target.health.timeoutMs)}
          </dd>
        </div>
        <div className={row}>
          <dt className={dt}>Validation</dt>
          <dd>
            {formatDuration(target.validation.windowMs)} after the switch; error rate at most {target.validation.maxErrorRatePct} %, p95 at most{" "}
            {target.validation.maxP95LatencyMs} ms
          </dd>
        </div>
      </dl>
      {configure ? <div className="border-t border-slate-200 px-4 py-3 dark:border-slate-800">{configure}</div> : null}
    </Card>
  );
}
