import { can, ROLE_LABELS, type Role } from "../rbac/permissions.ts";

/*
 * The approval policy, decided by the lead (see HELPER-BRIEF): LOW needs 1 approval, MEDIUM 2,
 * HIGH 2 of which one by a Release manager (or Administrator); every named stakeholder must
 * approve too, and their approvals count toward the number. EMERGENCY needs 1 approval by a
 * Release manager (or Administrator) and no stakeholders. Only current (not stale) APPROVED
 * decisions count. Pure functions: the service and the detail page share them.
 */

export type PolicyChange = {
  type: "STANDARD" | "NORMAL" | "EMERGENCY";
  risk: "LOW" | "MEDIUM" | "HIGH";
  requesterId: string;
  status: string;
  contentDigest: string;
};

export type PolicyApproval = {
  userId: string;
  decision: "APPROVED" | "REJECTED";
  staleAt: Date | null;
  user: { name: string; role: Role };
};

export type PolicyStakeholder = {
  userId: string;
  uatResult: "PASSED" | "FAILED" | null;
  uatDigest: string;
  user: { name: string };
};

export type PolicyProgress = {
  met: boolean;
  /** How many current approvals the policy asks for in all. */
  required: number;
  approved: number;
  /** What is still missing, in words: "Sam Stakeholder's approval", "a Release manager's approval", "1 more approval". */
  missing: string[];
  /** The rule in one sentence, for the page. */
  rule: string;
  /** One line: "Approved" or "Waiting for Sam Stakeholder's approval and 1 more approval". */
  summary: string;
};

/** A status in a sentence: "CHG-000123 is a draft", "this one is rolled back". */
export const STATUS_WORDS: Record<string, string> = {
  DRAFT: "a draft",
  SUBMITTED: "submitted",
  APPROVED: "approved",
  REJECTED: "rejected",
  SCHEDULED: "scheduled",
  DEPLOYING: "deploying",
  DEPLOYED: "deployed",
  ROLLED_BACK: "rolled back",
  FAILED: "failed",
  CLOSED: "closed",
  CANCELLED: "cancelled",
};

export const REQUIRED_APPROVALS = { LOW: 1, MEDIUM: 2, HIGH: 2 } as const;

export function isReleaseAuthority(role: Role): boolean {
  return role === "RELEASE_MANAGER" || role === "ADMIN";
}

export function currentApprovals<A extends PolicyApproval>(approvals: readonly A[]): A[] {
  return approvals.filter((a) => a.decision === "APPROVED" && a.staleAt === null);
}

/** A named stakeholder's UAT sign-off counts while it was given for the change's current content. */
export function uatState(s: Pick<PolicyStakeholder, "uatResult" | "uatDigest">, contentDigest: string): "PASSED" | "FAILED" | "STALE" | "PENDING" {
  if (!s.uatResult) return "PENDING";
  if (s.uatDigest !== contentDigest) return "STALE";
  return s.uatResult;
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function evaluatePolicy(
  change: Pick<PolicyChange, "type" | "risk">,
  approvals: readonly PolicyApproval[],
  stakeholders: readonly Pick<PolicyStakeholder, "userId" | "user">[],
): PolicyProgress {
  const current = currentApprovals(approvals);
  const approvers = new Set(current.map((a) => a.userId));
  const hasAuthority = current.some((a) => isReleaseAuthority(a.user.role));
  const missing: string[] = [];
  let required: number;
  let rule: string;

  if (change.type === "EMERGENCY") {
    required = 1;
    rule = "Emergency change: 1 approval by a Release manager (or Administrator); a retrospective review follows.";
    if (!hasAuthority) missing.push(`a ${ROLE_LABELS.RELEASE_MANAGER}'s approval`);
  } else {
    const n = REQUIRED_APPROVALS[change.risk];
    required = Math.max(n, stakeholders.length + (change.risk === "HIGH" ? 1 : 0));
    const base =
      change.risk === "HIGH"
        ? "High risk: 2 approvals, one of them by a Release manager (or Administrator)"
        : `${change.risk === "LOW" ? "Low" : "Medium"} risk: ${plural(n, "approval")}`;
    rule = stakeholders.length ? `${base}, including every named stakeholder.` : `${base}.`;
    const pendingStakeholders = stakeholders.filter((s) => !approvers.has(s.userId));
    for (const s of pendingStakeholders) missing.push(`${s.user.name}'s approval`);
    const needAuthority = change.risk === "HIGH" && !hasAuthority;
    if (needAuthority) missing.push(`a ${ROLE_LABELS.RELEASE_MANAGER}'s approval`);
    const more = n - current.length - pendingStakeholders.length - (needAuthority ? 1 : 0);
    if (more > 0) missing.push(`${more} more ${more === 1 ? "approval" : "approvals"}`);
  }
  const met = missing.length === 0;
  return {
    met,
    required,
    approved: current.length,
    missing,
    rule,
    summary: met ? "Approval requirements met" : `Waiting for ${listWords(missing)}`,
  };
}

export type Eligibility = { ok: true } | { ok: false; reason: string; code: "forbidden" | "conflict" };

/**
 * May `viewer` approve or reject this change now? The same answer drives the server's refusal and
 * the page's disabled button with its reason.
 */
export function decisionEligibility(
  viewer: { id: string; role: Role },
  change: PolicyChange,
  approvals: readonly PolicyApproval[],
  stakeholders: readonly PolicyStakeholder[],
  decision: "APPROVED" | "REJECTED",
): Eligibility {
  if (!can(viewer.role, "change.approve")) return { ok: false, code: "forbidden", reason: "Your role cannot approve or reject changes." };
  if (viewer.id === change.requesterId) {
    return { ok: false, code: "forbidden", reason: "You raised this change, so someone else must approve or reject it." };
  }
  const named = stakeholders.find((s) => s.userId === viewer.id);
  if (viewer.role === "STAKEHOLDER" && !named) {
    return { ok: false, code: "forbidden", reason: "Only the stakeholders named on this change can approve or reject it." };
  }
  const decidable = decision === "APPROVED" ? ["SUBMITTED"] : ["SUBMITTED", "APPROVED", "SCHEDULED"];
  if (!decidable.includes(change.status)) {
    return {
      ok: false,
      code: "conflict",
      reason:
        decision === "APPROVED"
          ? `Only a submitted change can be approved; this one is ${STATUS_WORDS[change.status] ?? change.status}.`
          : `This change is ${STATUS_WORDS[change.status] ?? change.status} and can no longer be rejected.`,
    };
  }
  if (decision === "APPROVED") {
    if (currentApprovals(approvals).some((a) => a.userId === viewer.id)) {
      return { ok: false, code: "conflict", reason: "You have already approved this change." };
    }
    if (named && uatState(named, change.contentDigest) !== "PASSED") {
      return { ok: false, code: "conflict", reason: "As a named stakeholder, record a passed UAT sign-off before approving." };
    }
  }
  return { ok: true };
}
