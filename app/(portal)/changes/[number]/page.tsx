import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ApprovalsPanel } from "@/components/changes/approvals-panel";
import { ChangeActions } from "@/components/changes/change-actions";
import { ChangeHeader, ChangePlans, ChangeReviews, ChangeSummary } from "@/components/changes/change-header";
import { ChecklistPanel } from "@/components/changes/checklist-panel";
import type { ChangeStatusValue } from "@/components/changes/labels";
import { Timeline } from "@/components/changes/timeline";
import { DeployForm } from "@/components/deployments/deploy-form";
import { DeploymentPanel } from "@/components/deployments/deployment-panel";
import { UatPanel } from "@/components/changes/uat-panel";
import { requirePermission } from "@/lib/auth/guards";
import { getChangeDetail, timeline } from "@/lib/changes/detail";
import { parseChangeNumber } from "@/lib/changes/number";
import { pirSuggestions } from "@/lib/deployments/pir";
import { deploymentGatesFor, hasDeploymentTarget, recentDeployments } from "@/lib/deployments/queries";
import { evidenceMaxBytes } from "@/lib/evidence/storage";
import { can } from "@/lib/rbac/permissions";
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
  const mayReadDeployments = can(user.role, "deployment.read");
  const [deployments, hasTarget] = mayReadDeployments
    ? await Promise.all([recentDeployments({ changeId: change.id }, 20), hasDeploymentTarget(detail.service.id)])
    : [[], false];
  // The gates matter while the change can still be deployed; afterwards the panel shows history only.
  const deployable = change.status === "APPROVED" || change.status === "SCHEDULED";
  const gates = mayReadDeployments && deployable ? await deploymentGatesFor(user, change.id) : null;
  const freezeGate = gates?.find((g) => g.id === "freeze");
  const askOverrideReason = change.type === "EMERGENCY" && freezeGate !== undefined && !freezeGate.ok;
  // Deploy is offered when nothing but step-up (asked by the button) and an emergency override reason (asked by the form) is missing.
  const offerDeploy =
    gates !== null &&
    can(user.role, "deployment.trigger") &&
    gates.every((g) => g.ok || g.id === "step_up" || (g.id === "freeze" && askOverrideReason));

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
          {mayReadDeployments ? (
            <DeploymentPanel
              gates={gates}
              deployments={deployments}
              serviceId={detail.service.id}
              hasTarget={hasTarget}
              deploy={
                offerDeploy ? (
                  <DeployForm
                    changeId={change.id}
                    idempotencyKey={randomUUID()}
                    askOverrideReason={askOverrideReason}
                    summary={`Deploys ${change.version ? `version ${change.version}` : "this change"} of ${detail.service.name} to its idle colour, then moves traffic once it is healthy.`}
                  />
                ) : null
              }
            />
          ) : null}
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
