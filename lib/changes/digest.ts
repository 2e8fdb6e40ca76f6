import { createHash } from "node:crypto";
import type { EvidenceItemValue } from "./schemas.ts";

/*
 * What an approver approves: the plan, the rollback plan, the window, the version, the risk and
 * the current checklist evidence. Its sha256 (over canonical JSON: keys sorted, no whitespace)
 * is ChangeRequest.contentDigest; every approval and UAT sign-off stores the digest it was given
 * for, and the approval also keeps the snapshot so the UI can say what changed since.
 */

export type EvidenceSnapshot = {
  result: string;
  summary: string;
  link: string;
  fileSha256: string | null;
  verifiedAt: string | null;
};

export type ChangeSnapshot = {
  implementationPlan: string;
  rollbackPlan: string;
  plannedStart: string;
  plannedEnd: string;
  version: string;
  risk: string;
  riskAssessment: string;
  evidence: Record<EvidenceItemValue, EvidenceSnapshot | null>;
  /**
   * Kept in approval snapshots so the page can say "Type" changed, but NOT digested: the digest
   * covers what the lead listed; a type change voids decisions through the service instead.
   */
  type?: string;
};

export type DigestSource = {
  implementationPlan: string;
  rollbackPlan: string;
  plannedStart: Date;
  plannedEnd: Date;
  version: string;
  risk: string;
  riskAssessment: string;
};

/** Current (not superseded) evidence rows, with the file's sha256 when one is attached. */
export type DigestEvidence = {
  item: EvidenceItemValue;
  result: string;
  summary: string;
  link: string;
  verifiedAt: Date | null;
  file: { sha256: string } | null;
};

export function snapshotOf(change: DigestSource, currentEvidence: readonly DigestEvidence[]): ChangeSnapshot {
  const evidence: ChangeSnapshot["evidence"] = { SECURITY_SCAN: null, PERFORMANCE_TEST: null, BACKUP_VERIFICATION: null };
  for (const e of currentEvidence) {
    evidence[e.item] = {
      result: e.result,
      summary: e.summary,
      link: e.link,
      fileSha256: e.file?.sha256 ?? null,
      verifiedAt: e.verifiedAt ? e.verifiedAt.toISOString() : null,
    };
  }
  return {
    implementationPlan: change.implementationPlan,
    rollbackPlan: change.rollbackPlan,
    plannedStart: change.plannedStart.toISOString(),
    plannedEnd: change.plannedEnd.toISOString(),
    version: change.version,
    risk: change.risk,
    riskAssessment: change.riskAssessment,
    evidence,
  };
}

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function digestOf(snapshot: ChangeSnapshot): string {
  const { type: _type, ...digested } = snapshot;
  return createHash("sha256").update(canonicalJson(digested)).digest("hex");
}

const FIELD_LABELS: { key: Exclude<keyof ChangeSnapshot, "evidence">; label: string }[] = [
  { key: "implementationPlan", label: "Implementation plan" },
  { key: "rollbackPlan", label: "Rollback plan" },
  { key: "plannedStart", label: "Planned start" },
  { key: "plannedEnd", label: "Planned end" },
  { key: "version", label: "Version" },
  { key: "risk", label: "Risk" },
  { key: "riskAssessment", label: "Risk assessment" },
];

export const EVIDENCE_LABELS: Record<EvidenceItemValue, string> = {
  SECURITY_SCAN: "Security scan",
  PERFORMANCE_TEST: "Performance test",
  BACKUP_VERIFICATION: "Backup verification",
};

/** Parses a stored approval snapshot; null when it is not one (never trust stored JSON blindly). */
export function parseSnapshot(json: string): ChangeSnapshot | null {
  try {
    const value = JSON.parse(json) as unknown;
    if (!value || typeof value !== "object" || !("evidence" in value)) return null;
    return value as ChangeSnapshot;
  } catch {
    return null;
  }
}

/** Human labels of what differs between an approval's snapshot and now, e.g. ["Rollback plan", "Security scan evidence"]. */
export function diffSnapshots(old: ChangeSnapshot, current: ChangeSnapshot): string[] {
  const changed: string[] = [];
  if (old.type && current.type && old.type !== current.type) changed.push("Type");
  for (const { key, label } of FIELD_LABELS) {
    if (old[key] !== current[key]) changed.push(label);
  }
  for (const item of Object.keys(EVIDENCE_LABELS) as EvidenceItemValue[]) {
    const a = old.evidence?.[item] ?? null;
    const b = current.evidence?.[item] ?? null;
    if (canonicalJson(a) !== canonicalJson(b)) changed.push(`${EVIDENCE_LABELS[item]} evidence`);
  }
  return changed;
}
