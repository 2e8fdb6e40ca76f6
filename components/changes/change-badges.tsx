import { Badge } from "@/components/ui/badge";
import {
  riskLabel,
  STATUS_LABELS,
  TYPE_LABELS,
  type ChangeRiskValue,
  type ChangeStatusValue,
  type ChangeTypeValue,
} from "./labels";

type Tone = "neutral" | "info" | "success" | "warning" | "danger";

const STATUS_TONES: Record<ChangeStatusValue, Tone> = {
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

const RISK_TONES: Record<ChangeRiskValue, Tone> = { LOW: "neutral", MEDIUM: "warning", HIGH: "danger" };

export function ChangeStatusBadge({ status }: { status: ChangeStatusValue }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}

export function ChangeTypeBadge({ type }: { type: ChangeTypeValue }) {
  return <Badge tone={type === "EMERGENCY" ? "danger" : "neutral"}>{TYPE_LABELS[type]}</Badge>;
}

export function ChangeRiskBadge({ risk }: { risk: ChangeRiskValue }) {
  return <Badge tone={RISK_TONES[risk]}>{riskLabel(risk)}</Badge>;
}
