import { EVIDENCE_LABELS } from "./digest.ts";
import { uatState } from "./policy.ts";
import type { EvidenceItemValue } from "./schemas.ts";

/*
 * The pre-deployment checklist, computed (never stored): security scan, performance test, UAT
 * sign-off, backup verification, rollback plan. Each entry says whether it is satisfied, why not,
 * and who provided what when. The deployments issue gates on `complete`.
 */

export const CHECKLIST_KEYS = ["SECURITY_SCAN", "PERFORMANCE_TEST", "UAT", "BACKUP_VERIFICATION", "ROLLBACK_PLAN"] as const;
export type ChecklistKey = (typeof CHECKLIST_KEYS)[number];

export const CHECKLIST_LABELS: Record<ChecklistKey, string> = {
  SECURITY_SCAN: EVIDENCE_LABELS.SECURITY_SCAN,
  PERFORMANCE_TEST: "Performance test results",
  UAT: "UAT sign-off",
  BACKUP_VERIFICATION: EVIDENCE_LABELS.BACKUP_VERIFICATION,
  ROLLBACK_PLAN: "Rollback plan",
};

export type ChecklistState = "complete" | "failed" | "missing";

export type ChecklistEntry = {
  key: ChecklistKey;
  label: string;
  state: ChecklistState;
  /** One sentence for the page: what is there, or what is needed. */
  detail: string;
  by: string | null;
  at: Date | null;
};

export type ChecklistEvidence = {
  item: EvidenceItemValue;
  result: "PASSED" | "FAILED";
  summary: string;
  link: string;
  verifiedAt: Date | null;
  recordedAt: Date;
  recordedBy: { name: string };
  file: { fileName: string } | null;
};

export type ChecklistInput = {
  rollbackPlan: string;
  contentDigest: string;
  /** Current (not superseded) evidence. */
  evidence: readonly ChecklistEvidence[];
  stakeholders: readonly {
    uatResult: "PASSED" | "FAILED" | null;
    uatDigest: string;
    uatAt: Date | null;
    user: { name: string };
  }[];
  /** Current (not stale) APPROVED decisions. */
  approvals: readonly { rollbackAcknowledged: boolean; createdAt: Date; user: { name: string } }[];
};

function evidenceEntry(key: EvidenceItemValue, e: ChecklistEvidence | undefined): ChecklistEntry {
  const label = CHECKLIST_LABELS[key];
  if (!e) {
    const needed: Record<EvidenceItemValue, string> = {
      SECURITY_SCAN: "Record the security scan result with its report.",
      PERFORMANCE_TEST: "Record the performance test results.",
      BACKUP_VERIFICATION: "Record the backup verification: when the backup was taken and a link to it.",
    };
    return { key, label, state: "missing", detail: needed[key], by: null, at: null };
  }
  const where = e.file ? e.file.fileName : e.link;
  const what = [e.summary, where].filter(Boolean).join(" · ");
  if (e.result === "FAILED") {
    return { key, label, state: "failed", detail: `Failed${what ? `: ${what}` : ""}.`, by: e.recordedBy.name, at: e.recordedAt };
  }
  if (key === "BACKUP_VERIFICATION" && (!e.verifiedAt || !e.link)) {
    return { key, label, state: "missing", detail: "The verification needs the backup's time and a link.", by: e.recordedBy.name, at: e.recordedAt };
  }
  const when = key === "BACKUP_VERIFICATION" && e.verifiedAt ? ` (backup of ${e.verifiedAt.toISOString().slice(0, 16).replace("T", " ")} UTC)` : "";
  return { key, label, state: "complete", detail: `Passed${when}${what ? `: ${what}` : ""}.`, by: e.recordedBy.name, at: e.recordedAt };
}

export function computeChecklist(input: ChecklistInput): { items: ChecklistEntry[]; complete: boolean } {
  const latest = new Map(input.evidence.map((e) => [e.item, e]));
  const items: ChecklistEntry[] = [];
  items.push(evidenceEntry("SECURITY_SCAN", latest.get("SECURITY_SCAN")));
  items.push(evidenceEntry("PERFORMANCE_TEST", latest.get("PERFORMANCE_TEST")));

  // UAT: every named stakeholder has a passed sign-off for the current content.
  const states = input.stakeholders.map((s) => ({ s, state: uatState(s, input.contentDigest) }));
  const failed = states.filter((x) => x.state === "FAILED");
  const pending = states.filter((x) => x.state === "PENDING" || x.state === "STALE");
  const lastUat = states
    .map((x) => x.s)
    .filter((s) => s.uatAt)
    .sort((a, b) => (b.uatAt?.getTime() ?? 0) - (a.uatAt?.getTime() ?? 0))[0];
  if (!input.stakeholders.length) {
    items.push({ key: "UAT", label: CHECKLIST_LABELS.UAT, state: "complete", detail: "No named stakeholders: no UAT sign-off needed.", by: null, at: null });
  } else if (failed.length) {
    items.push({
      key: "UAT",
      label: CHECKLIST_LABELS.UAT,
      state: "failed",
      detail: `Failed for ${failed.map((x) => x.s.user.name).join(", ")}.`,
      by: failed[0]?.s.user.name ?? null,
      at: failed[0]?.s.uatAt ?? null,
    });
  } else if (pending.length) {
    items.push({
      key: "UAT",
      label: CHECKLIST_LABELS.UAT,
      state: "missing",
      detail: `Waiting for ${pending.map((x) => `${x.s.user.name}${x.state === "STALE" ? " (signed before the last edit)" : ""}`).join(", ")}.`,
      by: null,
      at: null,
    });
  } else {
    items.push({
      key: "UAT",
      label: CHECKLIST_LABELS.UAT,
      state: "complete",
      detail: `Passed for ${input.stakeholders.map((s) => s.user.name).join(", ")}.`,
      by: lastUat?.user.name ?? null,
      at: lastUat?.uatAt ?? null,
    });
  }

  items.push(evidenceEntry("BACKUP_VERIFICATION", latest.get("BACKUP_VERIFICATION")));

  const ack = input.approvals.find((a) => a.rollbackAcknowledged);
  if (!input.rollbackPlan.trim()) {
    items.push({ key: "ROLLBACK_PLAN", label: CHECKLIST_LABELS.ROLLBACK_PLAN, state: "missing", detail: "Write the rollback plan.", by: null, at: null });
  } else if (!ack) {
    items.push({
      key: "ROLLBACK_PLAN",
      label: CHECKLIST_LABELS.ROLLBACK_PLAN,
      state: "missing",
      detail: "Written; an approver must acknowledge it when approving.",
      by: null,
      at: null,
    });
  } else {
    items.push({
      key: "ROLLBACK_PLAN",
      label: CHECKLIST_LABELS.ROLLBACK_PLAN,
      state: "complete",
      detail: `Written and acknowledged by ${ack.user.name}.`,
      by: ack.user.name,
      at: ack.createdAt,
    });
  }
  return { items, complete: items.every((i) => i.state === "complete") };
}
