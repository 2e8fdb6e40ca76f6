import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ApprovalsPanel } from "@/components/changes/approvals-panel";
import { ChangeActions } from "@/components/changes/change-actions";
import { ChangeHeader, ChangePlans, ChangeReviews, ChangeSummary } from "@/components/changes/change-header";
import { ChecklistPanel } from "@/components/changes/checklist-panel";
import type { ChangeStatusValue } from "@/components/changes/labels";
import { Timeline } from "@/components/changes/timeline";
import { UatPanel } from "@/components/changes/uat-panel";
import { requirePermission } from "@/lib/auth/guards";
import { getChangeDetail, timeline } from "@/lib/changes/detail";
import { parseChangeNumber } from "@/lib/changes/number";
import { pirSuggestions } from "@/lib/deployments/pir";
import { evidenceMaxBytes } from "@/lib/evidence/storage";
import { formatBytes } from "@/lib/ui/format-bytes";
import { formatDateTime } from "@/lib/ui/format";

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).number).toUpperCase() };
}

export default async function ChangePage({ params }: Props) {
  const user = await requirePermission("change.read");
  const number = parseChangeNumber(decodeURIComponent((await params).number));
  const detail = number === null ? null : await getChangeDetail(user, number);
  if (!detail) notFound();
  const { change, allowed, flags } = detail;
  const events = await timeline(change.id);
  // The review form starts from what the deployment recorded; only drafted for someone who may close.
  const pir = allowed.canClose ? await pirSuggestions(change.id) : null;

  return (
    <div className="space-y-5">
      <ChangeHeader
        number={change.reference}
        title={change.title}
        // The detail types status as a string; it is always one of the schema's statuses.
        status={change.status as ChangeStatusValue}
        type={change.type}
        risk={change.risk}
        retrospectiveDue={flags.retrospectiveDue}
        freezeConflicts={flags.freezeConflicts.map(
          (f) => `${formatDateTime(f.startsAt)} – ${formatDateTime(f.endsAt)}${f.environment ? ` (${f.environment.toLowerCase()})` : ""}: ${f.reason}`,
        )}
        freezeOverrideReason={change.freezeOverrideReason}
        overlappingChanges={flags.overlappingChanges}
      />
      <ChangeActions
        changeId={change.id}
        number={change.reference}
        revision={change.revision}
        allowed={allowed}
        freezeOverride={change.type === "EMERGENCY" && flags.freezeConflicts.length > 0}
        pir={pir}
      />
      <div className="grid gap-5 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="space-y-5">
          <ChangeSummary
            service={detail.service}
            requester={detail.requester}
            plannedStart={change.plannedStart}
            plannedEnd={change.plannedEnd}
            version={change.version}
            stakeholders={detail.stakeholders.map((s) => s.name)}
            createdAt={change.createdAt}
            submittedAt={change.submittedAt}
            description={change.description}
            riskAssessment={change.riskAssessment}
          />
          <ChangePlans implementationPlan={change.implementationPlan} rollbackPlan={change.rollbackPlan} />
          <ChecklistPanel
            changeId={change.id}
            reference={change.reference}
            items={detail.checklist.items}
            evidence={detail.evidence.current}
            history={detail.evidence.history}
            canRecord={allowed.canRecordEvidence}
            fileLimit={formatBytes(evidenceMaxBytes())}
          />
          <ChangeReviews pir={change.pir} retrospective={change.retrospective} />
        </div>
        <div className="space-y-5">
          <ApprovalsPanel
            changeId={change.id}
            status={change.status}
            digest={change.contentDigest}
            policy={detail.policy}
            approvals={detail.approvals}
            canApprove={allowed.canApprove}
            canReject={allowed.canReject}
            cannotDecideReason={allowed.approveReason ?? allowed.rejectReason}
          />
          <UatPanel
            changeId={change.id}
            digest={change.contentDigest}
            rows={detail.stakeholders}
            canSign={allowed.canSignUat}
            viewerId={user.id}
          />
          <Timeline changeId={change.id} entries={events} canComment={allowed.canComment} />
        </div>
      </div>
    </div>
  );
}
