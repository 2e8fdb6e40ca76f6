import { Badge } from "@/components/ui/badge";
import type { ChangeRisk, ChangeStatus } from "@/lib/db/generated/sqlite/enums";
import { RISK_LABELS, STATUS_LABELS } from "@/lib/changes/filters";

type Tone = Parameters<typeof Badge>[0]["tone"];

const STATUS_TONES: Record<ChangeStatus, Tone> = {
  DRAFT: "neutral",
  SUBMITTED: "info",
  APPROVED: "success",
  REJECTED: "danger",
  SCHEDULED: "info",
  DEPLOYING: "warning",
  DEPLOYED: "success",
  ROLLED_BACK: "warning",
  FAILED: "danger",
  CLOSED: "neutral",
  CANCELLED: "neutral",
};

/** Colour only hints; the word says the status. */
export function ChangeStatusBadge({ status }: { status: ChangeStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}

const RISK_TONES: Record<ChangeRisk, Tone> = { LOW: "neutral", MEDIUM: "warning", HIGH: "danger" };

export function ChangeRiskBadge({ risk }: { risk: ChangeRisk }) {
  return <Badge tone={RISK_TONES[risk]}>{`${RISK_LABELS[risk]} risk`}</Badge>;
}
