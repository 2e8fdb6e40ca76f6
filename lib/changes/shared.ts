import { recordAudit, type AuditActor, type RequestContext } from "../audit/record.ts";
import type { AuditAction } from "../audit/actions.ts";
import { db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { AppError } from "../errors.ts";
import { notify } from "../notifications/notify.ts";
import { can, ROLE_LABELS, type Role } from "../rbac/permissions.ts";
import { diffSnapshots, digestOf } from "./digest.ts";
import { formatChangeNumber } from "./number.ts";
import { evaluatePolicy, STATUS_WORDS, type PolicyProgress } from "./policy.ts";
import { loadChange, snapshotOfLoaded, type LoadedChange, type Tx } from "./store.ts";

/* What the change operations (lifecycle, decisions, evidence, comments) share; see service.ts. */

/** Who acts: a signed-in user (CurrentUser) or an API token's owner with the token's role. */
export type ChangeActor = { id: string; email: string; name: string; role: Role };

export type ChangeRef = { id: string; number: number; reference: string; status: string; revision: number };

export const EDITABLE = ["DRAFT", "SUBMITTED", "APPROVED", "SCHEDULED"];
export const CANCELLABLE = ["DRAFT", "SUBMITTED", "APPROVED", "SCHEDULED", "REJECTED"];
export const CLOSABLE = ["DEPLOYED", "ROLLED_BACK", "FAILED"];
export const EVIDENCE_OPEN = ["DRAFT", "SUBMITTED", "APPROVED", "SCHEDULED"];
export const UAT_OPEN = ["SUBMITTED", "APPROVED", "SCHEDULED"];
/** An emergency change owes a retrospective once it was approved (and was not cancelled or rejected). */
export const RETRO_DUE = ["APPROVED", "SCHEDULED", "DEPLOYING", "DEPLOYED", "ROLLED_BACK", "FAILED", "CLOSED"];

export function actorOf(user: ChangeActor, source?: string): AuditActor {
  return { id: user.id, label: source && source !== "ui" ? `${user.email} (${source})` : user.email };
}

export function linkTo(number: number): string {
  return `/changes/${formatChangeNumber(number)}`;
}

export function refOf(change: { id: string; number: number; status: string; revision: number }): ChangeRef {
  return {
    id: change.id,
    number: change.number,
    reference: formatChangeNumber(change.number),
    status: change.status,
    revision: change.revision,
  };
}

export function refuse(message: string, fieldErrors?: Record<string, string>): never {
  throw new AppError("invalid_input", message, fieldErrors);
}

export function notAllowedInStatus(change: { status: string; number: number }, what: string): never {
  throw new AppError("conflict", `${formatChangeNumber(change.number)} is ${STATUS_WORDS[change.status] ?? change.status}: ${what}`);
}

export function isRequesterOrAdmin(user: ChangeActor, change: { requesterId: string }): boolean {
  return user.id === change.requesterId || user.role === "ADMIN";
}

export async function audit(
  tx: Tx,
  action: AuditAction,
  user: ChangeActor,
  context: RequestContext,
  change: { id: string; number: number },
  changes: Record<string, unknown>,
  source?: string,
): Promise<void> {
  await recordAudit(tx, {
    action,
    actor: actorOf(user, source),
    context,
    target: { type: "ChangeRequest", id: change.id },
    changes: { change: formatChangeNumber(change.number), ...changes },
  });
}

export const names = (users: { name: string }[]) => users.map((u) => u.name);

/**
 * Named stakeholders sign off UAT and approve, so they must be active people whose role can do
 * both (Stakeholder or Administrator), and never the requester (who cannot approve their own change).
 */
export async function resolveStakeholders(tx: Tx, ids: readonly string[], requesterId: string) {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const users = await tx.user.findMany({
    where: { id: { in: unique } },
    select: { id: true, name: true, email: true, role: true, active: true },
  });
  for (const id of unique) {
    const u = users.find((x) => x.id === id);
    if (!u) refuse("One of the chosen stakeholders no longer exists.", { stakeholderIds: "One of the chosen people no longer exists." });
    if (!u.active) refuse(`${u.name} is deactivated and cannot be a stakeholder.`, { stakeholderIds: `${u.name} is deactivated.` });
    if (u.id === requesterId) {
      const message = "You cannot name yourself as a stakeholder: stakeholders approve the change, and you raised it.";
      refuse(message, { stakeholderIds: message });
    }
    if (!can(u.role, "change.uat_signoff") || !can(u.role, "change.approve")) {
      const message = `${u.name} is ${ROLE_LABELS[u.role as Role]}; only Stakeholders and Administrators can be named stakeholders (they sign off UAT and approve).`;
      refuse(message, { stakeholderIds: message });
    }
  }
  return users;
}

/** The service's standing stakeholders who can act on a change by `requesterId`. */
export async function defaultStakeholderIds(tx: Tx, serviceId: string, requesterId: string): Promise<string[]> {
  const rows = await tx.serviceStakeholder.findMany({
    where: { serviceId, userId: { not: requesterId }, user: { active: true } },
    select: { user: { select: { id: true, role: true } } },
  });
  return rows
    .filter((r) => can(r.user.role as Role, "change.uat_signoff") && can(r.user.role as Role, "change.approve"))
    .map((r) => r.user.id);
}

/** Users who may approve changes generally (release managers and administrators), except the requester. */
export async function eligibleApproverIds(tx: Tx, requesterId: string): Promise<string[]> {
  const rows = await tx.user.findMany({
    where: { active: true, role: { in: ["RELEASE_MANAGER", "ADMIN"] }, id: { not: requesterId } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

type Restaled = { changed: boolean; changedLabels: string[]; staleApprovers: { id: string; name: string }[]; statusTo: string | null };

/**
 * After a write that may change what approvers approved: recomputes the digest; when it moved,
 * marks current decisions stale, sends an APPROVED/SCHEDULED change back to SUBMITTED and tells the
 * earlier approvers (and stakeholders whose UAT sign-off no longer counts).
 */
export async function refreshDigest(
  tx: Tx,
  before: LoadedChange,
  actor: ChangeActor,
  now: Date,
  /** Changes outside the digest that still void earlier decisions (the change's type). */
  alsoChanged: string[] = [],
): Promise<Restaled> {
  const after = await loadChange(tx, before.id);
  const snapshot = snapshotOfLoaded(after);
  const digest = digestOf(snapshot);
  if (digest === before.contentDigest && !alsoChanged.length) return { changed: false, changedLabels: [], staleApprovers: [], statusTo: null };

  const changedLabels = [...alsoChanged, ...diffSnapshots(snapshotOfLoaded(before), snapshot)];
  const live = after.approvals.filter((a) => a.staleAt === null);
  if (live.length) {
    await tx.changeApproval.updateMany({ where: { changeId: after.id, staleAt: null }, data: { staleAt: now } });
  }
  const backToSubmitted = after.status === "APPROVED" || after.status === "SCHEDULED";
  await tx.changeRequest.update({
    where: { id: after.id },
    data: {
      contentDigest: digest,
      ...(backToSubmitted ? { status: "SUBMITTED", decidedAt: null, scheduledAt: null, freezeOverrideReason: "" } : {}),
    },
  });
  const staleApprovers = live.filter((a) => a.decision === "APPROVED").map((a) => ({ id: a.userId, name: a.user.name }));
  const what = changedLabels.length ? changedLabels.join(", ") : "its content";
  const ref = formatChangeNumber(after.number);
  await notify(
    tx,
    staleApprovers.map((a) => a.id).filter((id) => id !== actor.id),
    {
      kind: "change.approval_stale",
      title: `${ref} changed after your approval: approve it again`,
      body: `${actor.name} changed ${what} of “${after.title}”. Your earlier approval no longer counts.`,
      link: linkTo(after.number),
    },
  );
  if (after.status !== "DRAFT" && digest !== before.contentDigest) {
    const signed = after.stakeholders.filter((s) => s.uatResult && s.uatDigest === before.contentDigest);
    await notify(
      tx,
      signed.map((s) => s.userId).filter((id) => id !== actor.id),
      {
        kind: "change.uat_stale",
        title: `${ref} changed after your UAT sign-off: sign off again`,
        body: `${actor.name} changed ${what} of “${after.title}”.`,
        link: linkTo(after.number),
      },
    );
  }
  return { changed: true, changedLabels, staleApprovers, statusTo: backToSubmitted ? "SUBMITTED" : null };
}

export function policyOf(change: LoadedChange): PolicyProgress {
  return evaluatePolicy(change, change.approvals, change.stakeholders);
}

export async function ensureCounter(): Promise<void> {
  if (await db.counter.findUnique({ where: { name: "change" }, select: { name: true } })) return;
  const max = await db.changeRequest.aggregate({ _max: { number: true } });
  try {
    await db.counter.create({ data: { name: "change", value: max._max.number ?? 0 } });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err; // someone else created it first: fine
  }
}

/** A moment as people read it in messages: "2026-11-27 14:00 UTC". */
export function fmt(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
