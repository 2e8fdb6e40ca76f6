import { AlertTriangle, ArrowLeft, Snowflake } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/lib/ui/format";
import { ChangeRiskBadge, ChangeStatusBadge, ChangeTypeBadge } from "./change-badges";
import type { ChangeRiskValue, ChangeStatusValue, ChangeTypeValue } from "./labels";
import { Panel, Prose } from "./panel";

type HeaderProps = {
  number: string;
  title: string;
  status: ChangeStatusValue;
  type: ChangeTypeValue;
  risk: ChangeRiskValue;
  retrospectiveDue: boolean;
  /** Freeze windows the change window overlaps, in words. */
  freezeConflicts: string[];
  freezeOverrideReason: string;
  /** Other live changes on the same service whose windows overlap this one. */
  overlappingChanges: { reference: string; title: string; plannedStart: Date; plannedEnd: Date }[];
};

export function ChangeHeader(p: HeaderProps) {
  return (
    <div className="space-y-3">
      <Link href="/changes" className="inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        <ArrowLeft aria-hidden="true" className="h-4 w-4" />
        All change requests
      </Link>
      <div>
        <p className="font-mono text-sm text-slate-500 dark:text-slate-400">{p.number}</p>
        <h1 className="text-2xl font-bold tracking-tight">{p.title}</h1>
      </div>
      <div role="group" aria-label="Status and classification" className="flex flex-wrap items-center gap-2">
        <ChangeStatusBadge status={p.status} />
        <ChangeTypeBadge type={p.type} />
        <ChangeRiskBadge risk={p.risk} />
        {p.retrospectiveDue ? <Badge tone="danger">Retrospective due</Badge> : null}
        {p.freezeConflicts.length ? <Badge tone="warning">Freeze conflict</Badge> : null}
        {p.overlappingChanges.length ? <Badge tone="warning">Overlaps another change</Badge> : null}
      </div>
      {p.retrospectiveDue ? (
        <Flag icon={<AlertTriangle aria-hidden="true" className="h-4 w-4 shrink-0" />}>
          Emergency change: a retrospective review is due. It stays flagged until one is recorded.
        </Flag>
      ) : null}
      {p.freezeConflicts.length ? (
        <Flag icon={<Snowflake aria-hidden="true" className="h-4 w-4 shrink-0" />}>
          The change window overlaps {p.freezeConflicts.length === 1 ? "a freeze window" : "freeze windows"}:{" "}
          {p.freezeConflicts.join("; ")}.
          {p.freezeOverrideReason
            ? ` Overridden: ${p.freezeOverrideReason}`
            : p.type === "EMERGENCY"
              ? " As an emergency change it may be scheduled there with an override reason."
              : " It cannot be scheduled until its window moves outside the freeze."}
        </Flag>
      ) : null}
      {p.overlappingChanges.length ? (
        <Flag icon={<AlertTriangle aria-hidden="true" className="h-4 w-4 shrink-0" />}>
          Another change to this service has an overlapping window:{" "}
          {p.overlappingChanges.map((c, i) => (
            <span key={c.reference}>
              {i > 0 ? "; " : ""}
              <Link href={`/changes/${c.reference}`} className="font-medium underline hover:no-underline">
                {c.reference}
              </Link>{" "}
              {c.title} ({formatDateTime(c.plannedStart)} – {formatDateTime(c.plannedEnd)})
            </span>
          ))}
          .
        </Flag>
      ) : null}
    </div>
  );
}

function Flag({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <p className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200">
      {icon}
      <span>{children}</span>
    </p>
  );
}

type SummaryProps = {
  service: { name: string; environment: string };
  requester: { name: string; email: string };
  plannedStart: Date;
  plannedEnd: Date;
  version: string;
  stakeholders: string[];
  createdAt: Date;
  submittedAt: Date | null;
  description: string;
  riskAssessment: string;
};

export function ChangeSummary(p: SummaryProps) {
  const rows: [string, ReactNode][] = [
    ["Service", `${p.service.name} (${p.service.environment.toLowerCase()})`],
    ["Requester", p.requester.name],
    ["Change window", `${formatDateTime(p.plannedStart)} – ${formatDateTime(p.plannedEnd)}`],
    ["Version or artefact", p.version || "Not given"],
    ["Named stakeholders", p.stakeholders.length ? p.stakeholders.join(", ") : "None"],
    ["Raised", formatDateTime(p.createdAt)],
  ];
  if (p.submittedAt) rows.push(["Submitted", formatDateTime(p.submittedAt)]);
  return (
    <Panel title="Summary">
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
            <dd className="mt-0.5">{value}</dd>
          </div>
        ))}
      </dl>
      <div>
        <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Description</h3>
        <Prose text={p.description} empty="No description." />
      </div>
      <div>
        <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Risk assessment</h3>
        <Prose text={p.riskAssessment} empty="No risk assessment yet." />
      </div>
    </Panel>
  );
}

export function ChangePlans({ implementationPlan, rollbackPlan }: { implementationPlan: string; rollbackPlan: string }) {
  return (
    <Panel title="Plans">
      <div className="grid gap-5 lg:grid-cols-2">
        <div>
          <h3 className="mb-1 text-sm font-semibold">Implementation plan</h3>
          <Prose text={implementationPlan} />
        </div>
        <div>
          <h3 className="mb-1 text-sm font-semibold">Rollback plan</h3>
          <Prose text={rollbackPlan} />
        </div>
      </div>
    </Panel>
  );
}

type ReviewProps = {
  pir: { serviceVerification: string; performanceValidation: string; securityConfirmation: string; documentationUpdate: string; by: string | null } | null;
  retrospective: { notes: string; by: string | null; at: Date } | null;
};

/** The post-implementation review and the emergency retrospective, once recorded. */
export function ChangeReviews({ pir, retrospective }: ReviewProps) {
  if (!pir && !retrospective) return null;
  return (
    <Panel title="Reviews">
      {pir ? (
        <div className="space-y-2">
          <h3 className="text-sm font-semibold">Post-implementation review{pir.by ? ` by ${pir.by}` : ""}</h3>
          <dl className="grid gap-3 text-sm sm:grid-cols-2">
            {(
              [
                ["Service verification", pir.serviceVerification],
                ["Performance validation", pir.performanceValidation],
                ["Security confirmation", pir.securityConfirmation],
                ["Documentation update", pir.documentationUpdate],
              ] as const
            ).map(([label, text]) => (
              <div key={label}>
                <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
                <dd className="mt-0.5 whitespace-pre-wrap">{text}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
      {retrospective ? (
        <div className="space-y-1">
          <h3 className="text-sm font-semibold">
            Retrospective{retrospective.by ? ` by ${retrospective.by}` : ""}, {formatDateTime(retrospective.at)}
          </h3>
          <Prose text={retrospective.notes} />
        </div>
      ) : null}
    </Panel>
  );
}
