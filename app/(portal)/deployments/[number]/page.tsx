import { ArrowLeft, ArrowRight } from "lucide-react";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ColourName } from "@/components/deployments/deployment-badges";
import { DeploymentLive, type ProgressJson } from "@/components/deployments/deployment-live";
import { RollbackForm } from "@/components/deployments/rollback-form";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { COLOUR_LABELS, formatDuration } from "@/lib/deployments/labels";
import { parseDeploymentNumber } from "@/lib/deployments/number";
import { getDeploymentDetail, rollbackOffered, type DeploymentDetail } from "@/lib/deployments/queries";
import { can } from "@/lib/rbac/permissions";
import { formatDateTime } from "@/lib/ui/format";

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).number).toUpperCase() };
}

/** The part of the detail the live component polls, as the JSON the poll route returns. */
function progressJson(d: DeploymentDetail): ProgressJson {
  const { status, active, outcome, rollbackRequestedAt, steps, logs, lastLogId, moreLogs } = d;
  return JSON.parse(
    JSON.stringify({ status, active, outcome, rollbackRequestedAt, steps: steps.map(({ detail: _d, ...s }) => s), logs, lastLogId, moreLogs }),
  ) as ProgressJson;
}

export default async function DeploymentPage({ params }: Props) {
  const user = await requirePermission("deployment.read");
  const number = parseDeploymentNumber(decodeURIComponent((await params).number));
  const d = number === null ? null : await getDeploymentDetail(user, number);
  if (!d) notFound();

  const facts: { label: string; value: ReactNode }[] = [
    { label: "Triggered by", value: `${d.triggeredBy.name}${d.source === "api" ? " (API)" : ""}` },
    { label: "Started", value: formatDateTime(d.startedAt) },
    { label: "Traffic moved", value: d.liveAt ? `${formatDateTime(d.liveAt)}, ${formatDuration(d.triggerToLiveMs)} after the trigger` : d.active ? "Not yet" : "Never: traffic stayed where it was" },
    { label: "Finished", value: d.finishedAt ? `${formatDateTime(d.finishedAt)}, ${formatDuration(d.totalMs)} in all` : "Still running" },
    {
      label: "Colours",
      value: (
        <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
          <ColourName colour={d.fromColour} empty="Nothing live" />
          <ArrowRight aria-label="to" className="h-3.5 w-3.5 text-slate-400" />
          <ColourName colour={d.toColour} />
        </span>
      ),
    },
    {
      label: "Live colour read back",
      value: d.liveColour ? (
        <>
          <ColourName colour={d.liveColour} /> <span className="text-slate-500 dark:text-slate-400">(when it finished)</span>
        </>
      ) : d.targetLive?.checkedAt ? (
        <>
          <ColourName colour={d.targetLive.colour} empty="Nothing live" />{" "}
          <span className="text-slate-500 dark:text-slate-400">(last read from the target {formatDateTime(d.targetLive.checkedAt)})</span>
        </>
      ) : (
        "Not read yet"
      ),
    },
  ];
  if (d.rollbackRequestedAt) {
    facts.push({
      label: "Rollback requested",
      value: `${formatDateTime(d.rollbackRequestedAt)}${d.rollbackRequestedBy ? ` by ${d.rollbackRequestedBy.name}` : ""}${d.rollbackReason ? `: ${d.rollbackReason}` : ""}`,
    });
  }
  if (d.recoveredAt) facts.push({ label: "Recovered", value: `${formatDateTime(d.recoveredAt)}: the runner working on it had stopped` });

  return (
    <div className="space-y-5">
      <Link href="/deployments" className="inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        <ArrowLeft aria-hidden="true" className="h-4 w-4" />
        All deployments
      </Link>
      <div className="space-y-1">
        <h1 className="text-2xl font-bold tracking-tight">
          <span className="font-mono">{d.reference}</span>
          <span className="font-normal text-slate-500 dark:text-slate-400">: </span>
          {d.service.name} <span className="font-mono text-xl">{d.version}</span>
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Deploys change{" "}
          <Link href={`/changes/${d.change.reference}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            {d.change.reference}: {d.change.title}
          </Link>{" "}
          to{" "}
          <Link href={`/services/${d.service.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            {d.service.name}
          </Link>{" "}
          ({d.service.environment.toLowerCase()}).
        </p>
      </div>
      <div className="grid gap-5 xl:grid-cols-[minmax(0,2fr)_minmax(0,1fr)] xl:items-start">
        <div className="min-w-0">
          <DeploymentLive
            reference={d.reference}
            initial={progressJson(d)}
            rollbackAfterSuccess={rollbackOffered(d)}
            rollback={
              can(user.role, "deployment.rollback") ? (
                <RollbackForm
                  deploymentId={d.id}
                  reference={d.reference}
                  running={d.status === "RUNNING"}
                  previous={d.fromColour ? COLOUR_LABELS[d.fromColour].toLowerCase() : "the colour live before"}
                />
              ) : undefined
            }
          />
        </div>
        <div className="min-w-0">
          <Card title="Details">
            <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {facts.map((f) => (
                <div key={f.label} className="space-y-0.5 px-4 py-2.5">
                  <dt className="text-xs text-slate-500 dark:text-slate-400">{f.label}</dt>
                  <dd className="min-w-0 break-words">{f.value}</dd>
                </div>
              ))}
              {d.urls ? (
                <div className="space-y-0.5 px-4 py-2.5">
                  <dt className="text-xs text-slate-500 dark:text-slate-400">Colour URLs</dt>
                  <dd className="min-w-0 space-y-0.5 text-xs">
                    <p className="break-words">
                      Blue: <span className="font-mono">{d.urls.BLUE}</span>
                    </p>
                    <p className="break-words">
                      Green: <span className="font-mono">{d.urls.GREEN}</span>
                    </p>
                  </dd>
                </div>
              ) : null}
            </dl>
          </Card>
        </div>
      </div>
    </div>
  );
}
