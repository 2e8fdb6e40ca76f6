import type { ChangeRisk, ChangeStatus, ChangeType } from "../db/generated/sqlite/enums.ts";

/** How the change-management enums read on screen, in CSV exports and in messages: one place. */
export const STATUS_LABELS: Record<ChangeStatus, string> = {
  DRAFT: "Draft",
  SUBMITTED: "Submitted",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  SCHEDULED: "Scheduled",
  DEPLOYING: "Deploying",
  DEPLOYED: "Deployed",
  ROLLED_BACK: "Rolled back",
  FAILED: "Failed",
  CLOSED: "Closed",
  CANCELLED: "Cancelled",
};

export const TYPE_LABELS: Record<ChangeType, string> = { STANDARD: "Standard", NORMAL: "Normal", EMERGENCY: "Emergency" };
export const RISK_LABELS: Record<ChangeRisk, string> = { LOW: "Low", MEDIUM: "Medium", HIGH: "High" };

/** "Medium risk": where the risk stands alone (badges, the form's choices). */
export function riskLabel(risk: ChangeRisk): string {
  return `${RISK_LABELS[risk]} risk`;
}
