import type { CurrentUser } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import { overlappingFreezes, type FreezeOverlap } from "../freeze/overlap.ts";
import { assertPermission } from "../rbac/assert.ts";
import { can, ROLE_LABELS, type Role } from "../rbac/permissions.ts";
import { computeChecklist, type ChecklistEntry } from "./checklist.ts";
import { diffSnapshots, EVIDENCE_LABELS, parseSnapshot } from "./digest.ts";
import { formatChangeNumber } from "./number.ts";
import { currentApprovals, decisionEligibility, evaluatePolicy, isReleaseAuthority, uatState, type PolicyProgress } from "./policy.ts";
import type { EvidenceItemValue } from "./schemas.ts";
import { retrospectiveDue } from "./service.ts";
import { CHANGE_INCLUDE, decisionSnapshot } from "./store.ts";

/*
 * Everything the change detail page shows, computed in one place so the page stays a layout:
 * the change, its people, evidence (current and superseded), approvals with what changed since
 * each, the policy's progress, the checklist, flags, and what this viewer may do (with reasons).
 */

export type Viewer = Pick<CurrentUser, "id" | "role">;

export type EvidenceView = {
  id: string;
  item: EvidenceItemValue;
  label: string;
  result: "PASSED" | "FAILED";
  summary: string;
  link: string;
  file: { id: string; fileName: string; size: number; contentType: string } | null;
  verifiedAt: Date | null;
  recordedBy: string;
  recordedAt: Date;
  source: string;
  supersededAt: Date | null;
};

export type ApprovalView = {
  id: string;
  user: { id: string; name: string; role: Role; roleLabel: string };
  decision: "APPROVED" | "REJECTED";
  comment: string;
  rollbackAcknowledged: boolean;
  createdAt: Date;
  stale: boolean;
  staleAt: Date | null;
  /** What changed since this decision was made, e.g. ["Rollback plan"]; empty when current. */
  changedSince: string[];
};

export type StakeholderView = {
  userId: string;
  name: string;
  email: string;
  uat: { state: "PENDING" | "PASSED" | "FAILED" | "STALE"; notes: string; at: Date | null };
  /** Their current decision, if any. */
  decision: "APPROVED" | "REJECTED" | null;
};

export type AllowedActions = {
  canEdit: boolean;
  canSubmit: boolean;
  canApprove: boolean;
  /** Why the approve button is unavailable (null when it is available or the role cannot approve at all). */
  approveReason: string | null;
  canReject: boolean;
  rejectReason: string | null;
  canSignUat: boolean;
  canRecordEvidence: boolean;
  canSchedule: boolean;
  canCancel: boolean;
  canReopen: boolean;
  canClose: boolean;
  canReview: boolean;
  canComment: boolean;
};

export type OverlappingChange = { number: number; reference: string; title: string; status: string; plannedStart: Date; plannedEnd: Date };

export type ChangeDetail = {
  change: {
    id: string;
    number: number;
    reference: string;
    title: string;
    type: "STANDARD" | "NORMAL" | "EMERGENCY";
    risk: "LOW" | "MEDIUM" | "HIGH";
    riskAssessment: string;
    description: string;
    implementationPlan: string;
    rollbackPlan: string;
    plannedStart: Date;
    plannedEnd: Date;
    version: string;
    status: string;
    revision: number;
    contentDigest: string;
    freezeOverrideReason: string;
    submittedAt: Date | null;
    decidedAt: Date | null;
    scheduledAt: Date | null;
    closedAt: Date | null;
    createdAt: Date;
    updatedAt: Date;
    retrospective: { at: Date; by: string; notes: string } | null;
    pir: {
      serviceVerification: string;
      performanceValidation: string;
      securityConfirmation: string;
      documentationUpdate: string;
      by: string;
    } | null;
  };
  service: { id: string; name: string; environment: "PRODUCTION" | "STAGING" };
  requester: { id: string; name: string; email: string };
  stakeholders: StakeholderView[];
  evidence: { current: EvidenceView[]; history: EvidenceView[] };
  attachments: { id: string; fileName: string; size: number; contentType: string; sha256: string; createdAt: Date; uploadedBy: string }[];
  approvals: ApprovalView[];
  policy: PolicyProgress;
  checklist: { items: ChecklistEntry[]; complete: boolean };
  flags: {
    retrospectiveDue: boolean;
    /** Active freeze windows overlapping the change window (for changes not yet finished). */
    freezeConflicts: FreezeOverlap[];
    /** Scheduled into a freeze as an emergency, with this reason. */
    freezeOverridden: boolean;
    /** Other live changes on the same service whose windows overlap this one. */
    overlappingChanges: OverlappingChange[];
  };
  allowed: AllowedActions;
};

const OPEN = ["DRAFT", "SUBMITTED", "APPROVED", "SCHEDULED"];
const LIVE = ["DRAFT", "SUBMITTED", "APPROVED", "SCHEDULED", "DEPLOYING"];

export async function changeIdByNumber(number: number): Promise<string | null> {
  const row = await db.changeRequest.findUnique({ where: { number }, select: { id: true } });
  return row?.id ?? null;
}

/** null when there is no such change (the page shows its 404). */
export async function getChangeDetail(viewer: Viewer, number: number): Promise<ChangeDetail | null> {
  assertPermission(viewer, "change.read");
  const change = await db.changeRequest.findUnique({ where: { number }, include: CHANGE_INCLUDE });
  if (!change) return null;

  const [history, attachments, people] = await Promise.all([
    db.changeEvidence.findMany({
      where: { changeId: change.id, supersededAt: { not: null } },
      include: {
        file: { select: { id: true, fileName: true, size: true, contentType: true } },
        recordedBy: { select: { name: true } },
      },
      orderBy: [{ recordedAt: "desc" }, { id: "desc" }],
    }),
    db.evidenceFile.findMany({
      where: { changeId: change.id },
      include: { uploadedBy: { select: { name: true } } },
      orderBy: { createdAt: "asc" },
    }),
    db.user.findMany({
      where: { id: { in: [change.retrospectiveById, change.pirById].filter((x): x is string => !!x) } },
      select: { id: true, name: true },
    }),
  ]);
  const nameOf = (id: string | null) => people.find((p) => p.id === id)?.name ?? "";

  const snapshot = decisionSnapshot(change);
  const evidenceView = (e: {
    id: string;
    item: EvidenceItemValue;
    result: "PASSED" | "FAILED";
    summary: string;
    link: string;
    file: { id: string; fileName: string; size: number; contentType: string } | null;
    verifiedAt: Date | null;
    recordedBy: { name: string };
    recordedAt: Date;
    source: string;
    supersededAt: Date | null;
  }): EvidenceView => ({
    id: e.id,
    item: e.item,
    label: EVIDENCE_LABELS[e.item],
    result: e.result,
    summary: e.summary,
    link: e.link,
    file: e.file ? { id: e.file.id, fileName: e.file.fileName, size: e.file.size, contentType: e.file.contentType } : null,
    verifiedAt: e.verifiedAt,
    recordedBy: e.recordedBy.name,
    recordedAt: e.recordedAt,
    source: e.source,
    supersededAt: e.supersededAt,
  });

  const approvals: ApprovalView[] = change.approvals
    .map((a) => {
      const then = parseSnapshot(a.snapshot);
      return {
        id: a.id,
        user: { id: a.user.id, name: a.user.name, role: a.user.role, roleLabel: ROLE_LABELS[a.user.role] },
        decision: a.decision,
        comment: a.comment,
        rollbackAcknowledged: a.rollbackAcknowledged,
        createdAt: a.createdAt,
        stale: a.staleAt !== null,
        staleAt: a.staleAt,
        changedSince: !then || (a.digest === change.contentDigest && a.staleAt === null) ? [] : diffSnapshots(then, snapshot),
      };
    })
    .reverse();

  const current = currentApprovals(change.approvals);
  const stakeholders: StakeholderView[] = change.stakeholders.map((s) => {
    const decision = change.approvals.filter((a) => a.userId === s.userId && a.staleAt === null).at(-1)?.decision ?? null;
    return {
      userId: s.userId,
      name: s.user.name,
      email: s.user.email,
      uat: { state: uatState(s, change.contentDigest), notes: s.uatNotes, at: s.uatAt },
      decision,
    };
  });

  const policy = evaluatePolicy(change, change.approvals, change.stakeholders);
  const checklist = computeChecklist({
    rollbackPlan: change.rollbackPlan,
    contentDigest: change.contentDigest,
    evidence: change.evidence,
    stakeholders: change.stakeholders,
    approvals: current,
  });

  const live = LIVE.includes(change.status);
  const [freezeConflicts, overlapping] = live
    ? await Promise.all([
        overlappingFreezes(db, change.service.environment, change.plannedStart, change.plannedEnd),
        db.changeRequest.findMany({
          where: {
            serviceId: change.serviceId,
            id: { not: change.id },
            status: { in: ["SUBMITTED", "APPROVED", "SCHEDULED", "DEPLOYING"] },
            plannedStart: { lt: change.plannedEnd },
            plannedEnd: { gt: change.plannedStart },
          },
          select: { number: true, title: true, status: true, plannedStart: true, plannedEnd: true },
          orderBy: { plannedStart: "asc" },
          take: 20,
        }),
      ])
    : [[], []];

  const isRequester = viewer.id === change.requesterId;
  const ownerOrAdmin = isRequester || viewer.role === "ADMIN";
  const approveCheck = decisionEligibility(viewer, change, change.approvals, change.stakeholders, "APPROVED");
  const rejectCheck = decisionEligibility(viewer, change, change.approvals, change.stakeholders, "REJECTED");
  const mayDecide = can(viewer.role, "change.approve");
  const named = change.stakeholders.find((s) => s.userId === viewer.id);
  const create = can(viewer.role, "change.create");

  const allowed: AllowedActions = {
    canEdit: create && ownerOrAdmin && OPEN.includes(change.status),
    canSubmit: create && ownerOrAdmin && change.status === "DRAFT",
    canApprove: approveCheck.ok,
    approveReason: approveCheck.ok || !mayDecide ? null : approveCheck.reason,
    canReject: rejectCheck.ok,
    rejectReason: rejectCheck.ok || !mayDecide ? null : rejectCheck.reason,
    canSignUat:
      can(viewer.role, "change.uat_signoff") &&
      !!named &&
      ["SUBMITTED", "APPROVED", "SCHEDULED"].includes(change.status) &&
      !current.some((a) => a.userId === viewer.id),
    canRecordEvidence: create && OPEN.includes(change.status),
    canSchedule: create && change.status === "APPROVED" && policy.met && change.plannedEnd.getTime() > Date.now(),
    canCancel: create && (isRequester || isReleaseAuthority(viewer.role)) && [...OPEN, "REJECTED"].includes(change.status),
    canReopen: create && change.status === "REJECTED",
    canClose: create && ["DEPLOYED", "ROLLED_BACK", "FAILED"].includes(change.status),
    canReview: can(viewer.role, "change.review") && !isRequester && retrospectiveDue(change),
    canComment: can(viewer.role, "change.comment"),
  };

  return {
    change: {
      id: change.id,
      number: change.number,
      reference: formatChangeNumber(change.number),
      title: change.title,
      type: change.type,
      risk: change.risk,
      riskAssessment: change.riskAssessment,
      description: change.description,
      implementationPlan: change.implementationPlan,
      rollbackPlan: change.rollbackPlan,
      plannedStart: change.plannedStart,
      plannedEnd: change.plannedEnd,
      version: change.version,
      status: change.status,
      revision: change.revision,
      contentDigest: change.contentDigest,
      freezeOverrideReason: change.freezeOverrideReason,
      submittedAt: change.submittedAt,
      decidedAt: change.decidedAt,
      scheduledAt: change.scheduledAt,
      closedAt: change.closedAt,
      createdAt: change.createdAt,
      updatedAt: change.updatedAt,
      retrospective: change.retrospectiveAt
        ? { at: change.retrospectiveAt, by: nameOf(change.retrospectiveById), notes: change.retrospectiveNotes }
        : null,
      pir: change.pirById
        ? {
            serviceVerification: change.pirServiceVerification,
            performanceValidation: change.pirPerformanceValidation,
            securityConfirmation: change.pirSecurityConfirmation,
            documentationUpdate: change.pirDocumentationUpdate,
            by: nameOf(change.pirById),
          }
        : null,
    },
    service: change.service,
    requester: change.requester,
    stakeholders,
    evidence: { current: change.evidence.map(evidenceView), history: history.map(evidenceView) },
    attachments: attachments.map((f) => ({
      id: f.id,
      fileName: f.fileName,
      size: f.size,
      contentType: f.contentType,
      sha256: f.sha256,
      createdAt: f.createdAt,
      uploadedBy: f.uploadedBy.name,
    })),
    approvals,
    policy,
    checklist,
    flags: {
      retrospectiveDue: retrospectiveDue(change),
      freezeConflicts,
      freezeOverridden: change.freezeOverrideReason !== "",
      overlappingChanges: overlapping.map((c) => ({ ...c, reference: formatChangeNumber(c.number) })),
    },
    allowed,
  };
}

// ---------------------------------------------------------------------------------------------
// Timeline

export type TimelineItem = {
  id: string;
  at: Date;
  kind: "event" | "comment";
  /** The audit action ("change.approved") or "comment". */
  action: string;
  actor: string;
  /** One line, e.g. "approved the change" or "recorded security scan evidence: passed". */
  text: string;
  /** Longer text: the comment body, a rejection reason, what changed... */
  detail: string;
  /** People notified (mentions, submissions). */
  notified: string[];
};

type Changes = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" ? v : "");
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

function describe(action: string, c: Changes): { text: string; detail: string } {
  const status = c.status as { from?: string; to?: string } | undefined;
  const backTo = status?.to === "SUBMITTED" ? " The change went back to submitted." : "";
  const stale = list(c.approvalsMadeStale);
  const staleText = stale.length ? ` Approvals by ${stale.join(", ")} no longer count.` : "";
  switch (action) {
    case "change.created":
      return { text: "raised the change", detail: "" };
    case "change.updated": {
      const fields = Object.keys((c.fields as Changes | undefined) ?? {});
      const labels = list(c.contentChanged);
      return {
        text: `edited ${fields.length ? fields.map((f) => f.replace(/([A-Z])/g, " $1").toLowerCase()).join(", ") : "the change"}`,
        detail: `${labels.length ? `Approved content changed: ${labels.join(", ")}.` : ""}${staleText}${backTo}`.trim(),
      };
    }
    case "change.submitted":
      return { text: "submitted the change for approval", detail: str(c.policy) };
    case "change.approved":
      return {
        text: status?.to === "APPROVED" ? "approved the change; it is now approved" : "approved the change",
        detail: [str(c.comment), str(c.policy)].filter(Boolean).join(" · "),
      };
    case "change.rejected":
      return { text: "rejected the change", detail: str(c.comment) };
    case "change.uat_signed":
      return { text: `signed off UAT: ${str(c.result).toLowerCase()}`, detail: str(c.notes) };
    case "change.evidence_recorded": {
      const label = EVIDENCE_LABELS[str(c.item) as EvidenceItemValue] ?? str(c.item);
      const via = str(c.source) && str(c.source) !== "ui" ? ` (via ${str(c.source)})` : "";
      return {
        text: `recorded ${label.toLowerCase()} evidence: ${str(c.result).toLowerCase()}${via}`,
        detail: `${[str(c.summary), str(c.link), str(c.file)].filter(Boolean).join(" · ")}${staleText}${backTo}`.trim(),
      };
    }
    case "change.file_uploaded":
      return { text: `uploaded ${str(c.fileName) || str(c.file) || "a file"}`, detail: "" };
    case "change.commented":
      return { text: "commented", detail: "" };
    case "change.scheduled": {
      const override = c.freezeOverride as { reason?: string } | undefined;
      return {
        text: override ? "scheduled the change, overriding a freeze window" : "scheduled the change",
        detail: override?.reason ?? "",
      };
    }
    case "change.cancelled":
      return { text: "cancelled the change", detail: str(c.reason) };
    case "change.reopened":
      return { text: "reopened the change as a draft", detail: "" };
    case "change.closed":
      return { text: "closed the change with its post-implementation review", detail: "" };
    case "change.retrospective_recorded":
      return { text: "recorded the retrospective review", detail: str(c.notes) };
    case "deployment.triggered": {
      const override = c.freezeOverride ? ` Freeze overridden: ${str(c.freezeOverride)}` : "";
      return {
        text: `started ${str(c.deployment)}: ${str(c.version) || "the change"} to ${colour(c.toColour)}`,
        detail: `${c.fromColour ? `${colour(c.fromColour)} keeps the traffic until the switch.` : "Nothing was live before."}${override}`,
      };
    }
    case "deployment.live":
      return { text: `moved traffic to ${colour(c.to)} (${str(c.deployment)})`, detail: "" };
    case "deployment.rollback_requested":
      return { text: `asked to roll back ${str(c.deployment)}`, detail: str(c.reason) };
    case "deployment.succeeded":
      return { text: `finished ${str(c.deployment)}: succeeded`, detail: str(c.outcome) };
    case "deployment.rolled_back":
      return { text: `rolled back ${str(c.deployment)}`, detail: str(c.outcome) };
    case "deployment.failed":
      return { text: `finished ${str(c.deployment)}: failed`, detail: str(c.outcome) };
    case "deployment.recovered":
      return { text: `recovered ${str(c.deployment)} after the runner working on it stopped`, detail: "" };
    default:
      return { text: action, detail: "" };
  }
}

async function deploymentIdsOf(changeId: string): Promise<string[]> {
  return (await db.deployment.findMany({ where: { changeId }, select: { id: true } })).map((d) => d.id);
}

const colour = (value: unknown) => str(value).toLowerCase() || "no colour";

/** The change's audit events and comments, newest first, ready to show. */
export async function timeline(changeId: string, options: { take?: number } = {}): Promise<TimelineItem[]> {
  const take = options.take ?? 200;
  const [events, comments] = await Promise.all([
    db.auditEvent.findMany({
      // Downloads are access logging (Audit page), not something that happened to the change.
      // The change's deployments are part of its story: started, live, rolled back...
      where: {
        OR: [
          { targetType: "ChangeRequest", targetId: changeId, action: { not: "change.file_downloaded" } },
          { targetType: "Deployment", targetId: { in: await deploymentIdsOf(changeId) } },
        ],
      },
      orderBy: { seq: "desc" },
      take,
    }),
    db.changeComment.findMany({
      where: { changeId },
      include: { author: { select: { name: true } } },
      orderBy: { createdAt: "desc" },
      take,
    }),
  ]);
  const actorIds = [...new Set(events.map((e) => e.actorId).filter((x): x is string => !!x))];
  const actors = new Map(
    (await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]),
  );
  const commentById = new Map(comments.map((c) => [c.id, c]));

  const items: (TimelineItem & { order: number })[] = [];
  const shownComments = new Set<string>();
  for (const e of events) {
    let changes: Changes = {};
    try {
      changes = JSON.parse(e.changes) as Changes;
    } catch {
      /* an unreadable event still shows, without details */
    }
    const actor = (e.actorId && actors.get(e.actorId)) || e.actorLabel || "System";
    if (e.action === "change.commented") {
      const comment = commentById.get(str(changes.commentId));
      if (comment) shownComments.add(comment.id);
      items.push({
        id: comment ? `comment-${comment.id}` : `event-${e.seq}`,
        at: e.at,
        kind: "comment",
        action: "comment",
        actor: comment?.author.name ?? actor,
        text: "commented",
        detail: comment?.body ?? "",
        notified: list(changes.notified),
        order: e.seq,
      });
      continue;
    }
    const { text, detail } = describe(e.action, changes);
    items.push({ id: `event-${e.seq}`, at: e.at, kind: "event", action: e.action, actor, text, detail, notified: list(changes.notified), order: e.seq });
  }
  // Comments whose audit event lies beyond `take` (or predates auditing) still appear.
  for (const c of comments) {
    if (shownComments.has(c.id)) continue;
    items.push({
      id: `comment-${c.id}`,
      at: c.createdAt,
      kind: "comment",
      action: "comment",
      actor: c.author.name,
      text: "commented",
      detail: c.body,
      notified: [],
      order: -1,
    });
  }
  items.sort((a, b) => b.at.getTime() - a.at.getTime() || b.order - a.order);
  return items.slice(0, take).map(({ order: _order, ...rest }) => rest);
}
