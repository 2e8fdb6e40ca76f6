import { CheckCircle2, KeyRound, XCircle } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Note, Panel } from "@/components/changes/panel";
import { formatDuration } from "@/lib/deployments/labels";
import type { DeploymentListRow } from "@/lib/deployments/queries";
import type { GateResult } from "@/lib/deployments/types";
import { formatDateTime } from "@/lib/ui/format";
import { ColourName, DeploymentStatusBadge } from "./deployment-badges";

/**
 * The change page's "Deployment" panel: each gate the server checks before it deploys (ok, or why
 * not), the Deploy form for deployment.trigger holders (`deploy`), the running deployment, and the
 * change's past deployments.
 */
export function DeploymentPanel({
  gates,
  deploy,
  deployments,
  serviceId,
  hasTarget,
}: {
  /** null when the change is past deploying (or not yet submitted): no gate list to show. */
  gates: GateResult[] | null;
  deploy?: ReactNode;
  deployments: DeploymentListRow[];
  serviceId: string;
  hasTarget: boolean;
}) {
  const running = deployments.find((d) => d.status === "RUNNING" || d.status === "ROLLING_BACK");
  // Step-up is asked for by the Deploy button itself: not a blocker worth a red cross.
  const mayDeploy = gates?.find((g) => g.id === "permission")?.ok ?? false;
  const stepUpPending = (g: GateResult) => g.id === "step_up" && !g.ok && mayDeploy;
  const blocked = gates?.filter((g) => !g.ok && !stepUpPending(g)) ?? [];
  return (
    <Panel title="Deployment" description="Blue-green: deploy to the idle colour, health-check it, switch traffic, validate, keep the old colour for rollback.">
      {running ? (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <DeploymentStatusBadge status={running.status} />
          <Link href={`/deployments/${running.reference}`} className="font-semibold text-indigo-700 hover:underline dark:text-indigo-300">
            Watch {running.reference} live
          </Link>
        </p>
      ) : null}
      {!hasTarget ? (
        <Note>
          The service has no deployment target yet, so the portal cannot deploy it.{" "}
          <Link href={`/services/${serviceId}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            See the service
          </Link>
          .
        </Note>
      ) : null}
      {gates ? (
        <div className="space-y-2">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
            {blocked.length ? `Gates: ${blocked.length} of ${gates.length} not met` : "Gates: every gate is met"}
          </h3>
          <ul aria-label="Deployment gates" className="space-y-1.5">
            {gates.map((g) => (
              <li key={g.id} className="flex gap-2 text-sm">
                {g.ok ? (
                  <CheckCircle2 aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0 text-emerald-600 dark:text-emerald-400" />
                ) : stepUpPending(g) ? (
                  <KeyRound aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0 text-slate-500 dark:text-slate-400" />
                ) : (
                  <XCircle aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0 text-red-600 dark:text-red-400" />
                )}
                <span className="min-w-0">
                  <span className="font-medium">{g.label}</span>
                  <span className="sr-only">{g.ok ? ": ok" : stepUpPending(g) ? ": asked when you deploy" : ": not met"}</span>
                  <span className={`block text-xs ${g.ok || stepUpPending(g) ? "text-slate-500 dark:text-slate-400" : "text-red-700 dark:text-red-300"}`}>
                    {stepUpPending(g) ? "You will be asked for a code from your authenticator when you deploy." : g.detail}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {deploy ?? (gates && mayDeploy && blocked.length ? <Note>The Deploy button appears once every gate above is met.</Note> : null)}
      <div className="space-y-2">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Deployments of this change</h3>
        {deployments.length ? (
          <ul aria-label="Deployments of this change" className="divide-y divide-slate-100 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-700">
            {deployments.map((d) => (
              <li key={d.id} className="space-y-1 px-3 py-2 text-sm">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link href={`/deployments/${d.reference}`} className="font-mono text-xs font-semibold text-indigo-700 hover:underline dark:text-indigo-300">
                    {d.reference}
                  </Link>
                  <DeploymentStatusBadge status={d.status} />
                </div>
                <p className="text-xs text-slate-500 dark:text-slate-400">
                  {formatDateTime(d.startedAt)} by {d.triggeredBy.name}
                  {d.totalMs !== null ? ` · ${formatDuration(d.totalMs)}` : ""}
                </p>
                <p className="flex flex-wrap items-center gap-1 text-xs">
                  <ColourName colour={d.fromColour} empty="Nothing live" /> <span aria-hidden="true">→</span>
                  <span className="sr-only">to</span> <ColourName colour={d.toColour} />
                  {d.outcome ? <span className="basis-full text-slate-600 dark:text-slate-300">{d.outcome}</span> : null}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <Note>Not deployed yet.</Note>
        )}
      </div>
    </Panel>
  );
}
