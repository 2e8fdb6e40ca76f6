import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { updateChangeAction } from "@/app/(portal)/changes/actions";
import { ChangeForm } from "@/components/changes/change-form";
import { toDateTimeLocal } from "@/components/changes/labels";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import { getChangeDetail } from "@/lib/changes/detail";
import { serviceChoices, stakeholderChoices } from "@/lib/changes/form-options";
import { parseChangeNumber } from "@/lib/changes/number";

type Props = { params: Promise<{ number: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Edit ${decodeURIComponent((await params).number).toUpperCase()}` };
}

export default async function EditChangePage({ params }: Props) {
  const user = await requirePermission("change.create");
  const number = parseChangeNumber(decodeURIComponent((await params).number));
  const detail = number === null ? null : await getChangeDetail(user, number);
  if (!detail) notFound();
  const { change } = detail;
  const back = `/changes/${change.reference}`;
  const [services, people] = await Promise.all([serviceChoices(), stakeholderChoices(detail.requester.id)]);
  const approved = detail.approvals.some((a) => !a.stale && a.decision === "APPROVED");

  return (
    <>
      <PageHeader title={`Edit ${change.reference}`} description={change.title} />
      <Link href={back} className="mb-4 inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        <ArrowLeft aria-hidden="true" className="h-4 w-4" />
        Back to {change.reference}
      </Link>
      {detail.allowed.canEdit ? (
        <div className="space-y-4">
          {approved ? (
            <Alert tone="info">
              This change has approvals. Changing the plans, window, version or risk makes them stale: the approvers are
              asked again and an approved change goes back to submitted.
            </Alert>
          ) : null}
          <Card>
            <ChangeForm
              action={updateChangeAction}
              services={services}
              people={people}
              editing={{ changeId: change.id, revision: change.revision, number: change.reference }}
              initial={{
                title: change.title,
                serviceId: detail.service.id,
                type: change.type,
                risk: change.risk,
                riskAssessment: change.riskAssessment,
                description: change.description,
                implementationPlan: change.implementationPlan,
                rollbackPlan: change.rollbackPlan,
                plannedStart: toDateTimeLocal(change.plannedStart),
                plannedEnd: toDateTimeLocal(change.plannedEnd),
                version: change.version,
                stakeholderIds: detail.stakeholders.map((s) => s.userId),
              }}
              cancelHref={back}
              lockedStakeholderIds={
                change.status === "DRAFT" || user.role === "ADMIN" ? [] : detail.stakeholders.map((s) => s.userId)
              }
            />
          </Card>
        </div>
      ) : (
        <Alert>
          {change.reference} is {change.status.toLowerCase().replace("_", " ")} and cannot be edited by you now.
        </Alert>
      )}
    </>
  );
}
