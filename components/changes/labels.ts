import type { ChangeRisk, ChangeStatus, ChangeType } from "@/lib/db/generated/sqlite/enums";

export { RISK_LABELS, riskLabel, STATUS_LABELS, TYPE_LABELS } from "@/lib/changes/labels";

export type ChangeTypeValue = ChangeType;
export type ChangeRiskValue = ChangeRisk;
export type ChangeStatusValue = ChangeStatus;

export const TYPE_HINTS: Record<ChangeTypeValue, string> = {
  STANDARD: "A routine, pre-assessed change. Must be low risk.",
  NORMAL: "Assessed and approved by the policy for its risk, plus every named stakeholder.",
  EMERGENCY: "Needs one release manager's approval now and a retrospective review afterwards.",
};

export const RISK_HINTS: Record<ChangeRiskValue, string> = {
  LOW: "One approval needed (plus every named stakeholder).",
  MEDIUM: "Two approvals needed (named stakeholders count towards them).",
  HIGH: "Two approvals, one of them by a release manager (named stakeholders count towards them).",
};

/** datetime-local value for a moment, in UTC: the portal shows and takes times in UTC. */
export function toDateTimeLocal(date: Date | null | undefined): string {
  return date ? date.toISOString().slice(0, 16) : "";
}

/** A datetime-local value read as UTC, as an ISO string the server parses unambiguously. */
export function fromDateTimeLocal(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00.000Z` : value;
}
