import { recordAudit, type AuditActor, type RequestContext } from "../audit/record.ts";
import type { AuditAction } from "../audit/actions.ts";
import { db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { AppError } from "../errors.ts";
import { overlappingFreezes } from "../freeze/overlap.ts";
import { notify } from "../notifications/notify.ts";
import { assertPermission } from "../rbac/assert.ts";
import { can, ROLE_LABELS, type Role } from "../rbac/permissions.ts";
import { diffSnapshots, digestOf, EVIDENCE_LABELS, snapshotOf } from "./digest.ts";
import { formatChangeNumber } from "./number.ts";
import {
  currentApprovals,
  decisionEligibility,
  evaluatePolicy,
  isReleaseAuthority,
  STATUS_WORDS,
  uatState,
  type PolicyProgress,
} from "./policy.ts";
import {
  toDate,
  type TApproveChangeInput,
  type TCancelChangeInput,
  type TChangeRefInput,
  type TCloseChangeInput,
  type TCommentInput,
  type TCreateChangeInput,
  type TEvidenceBody,
  type TRecordEvidenceInput,
  type TRejectChangeInput,
  type TRetrospectiveInput,
  type TScheduleChangeInput,
  type TSignUatInput,
  type TUpdateChangeInput,
} from "./schemas.ts";
import { decisionSnapshot, loadChange, mutateChange, snapshotOfLoaded, type LoadedChange, type Tx } from "./store.ts";

/*
 * The change-request lifecycle. Every operation: permission -> rules (with a message a person can
 * act on) -> one transaction that holds the change (store.ts mutateChange: compare-and-set on
 * revision), writes, records its audit event targeting the change, and notifies whoever is needed.
 */

/** Who acts: a signed-in user (CurrentUser) or an API token's owner with the token's role. */
export type ChangeActor = { id: string; email: string; name: string; role: Role };

export type ChangeRef = { id: string; number: number; reference: string; status: string; revision: number };

const EDITABLE = ["DRAFT", "SUBMITTED", "APPROVED", "SCHEDULED"];
const CANCELLABLE = ["DRAFT", "SUBMITTED", "APPROVED", "SCHEDULED", "REJECTED"];
const CLOSABLE = ["DEPLOYED", "ROLLED_BACK", "FAILED"];
const EVIDENCE_OPEN = ["DRAFT", "SUBMITTED", "APPROVED", "SCHEDULED"];
const UAT_OPEN = ["SUBMITTED", "APPROVED", "SCHEDULED"];
/** An emergency change owes a retrospective once it was approved (and was not cancelled or rejected). */
export const RETRO_DUE = ["APPROVED", "SCHEDULED", "DEPLOYING", "DEPLOYED", "ROLLED_BACK", "FAILED", "CLOSED"];


function actorOf(user: ChangeActor, source?: string): AuditActor {
  return { id: user.id, label: source && source !== "ui" ? `${user.email} (${source})` : user.email };
}

export function linkTo(number: number): string {
  return `/changes/${formatChangeNumber(number)}`;
}

function refOf(change: { id: string; number: number; status: string; revision: number }): ChangeRef {
  return {
    id: change.id,
    number: change.number,
    reference: formatChangeNumber(change.number),
    status: change.status,
    revision: change.revision,
  };
}

function refuse(message: string, fieldErrors?: Record<string, string>): never {
  throw new AppError("invalid_input", message, fieldErrors);
}

function notAllowedInStatus(change: { status: string; number: number }, what: string): never {
  throw new AppError("conflict", `${formatChangeNumber(change.number)} is ${STATUS_WORDS[change.status] ?? change.status}: ${what}`);
}

function isRequesterOrAdmin(user: ChangeActor, change: { requesterId: string }): boolean {
  return user.id === change.requesterId || user.role === "ADMIN";
}

async function audit(
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

const names = (users: { name: string }[]) => users.map((u) => u.name);

// ---------------------------------------------------------------------------------------------
// Stakeholders

/**
 * Named stakeholders sign off UAT and approve, so they must be active people whose role can do
 * both (Stakeholder or Administrator), and never the requester (who cannot approve their own change).
 */
async function resolveStakeholders(tx: Tx, ids: readonly string[], requesterId: string) {
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
async function defaultStakeholderIds(tx: Tx, serviceId: string, requesterId: string): Promise<string[]> {
  const rows = await tx.serviceStakeholder.findMany({
    where: { serviceId, userId: { not: requesterId }, user: { active: true } },
    select: { user: { select: { id: true, role: true } } },
  });
  return rows
    .filter((r) => can(r.user.role as Role, "change.uat_signoff") && can(r.user.role as Role, "change.approve"))
    .map((r) => r.user.id);
}

/** Users who may approve changes generally (release managers and administrators), except the requester. */
async function eligibleApproverIds(tx: Tx, requesterId: string): Promise<string[]> {
  const rows = await tx.user.findMany({
    where: { active: true, role: { in: ["RELEASE_MANAGER", "ADMIN"] }, id: { not: requesterId } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// Content changes: digest, stale approvals, status

type Restaled = { changed: boolean; changedLabels: string[]; staleApprovers: { id: string; name: string }[]; statusTo: string | null };

/**
 * After a write that may change what approvers approved: recomputes the digest; when it moved,
 * marks current decisions stale, sends an APPROVED/SCHEDULED change back to SUBMITTED and tells the
 * earlier approvers (and stakeholders whose UAT sign-off no longer counts).
 */
async function refreshDigest(
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

function policyOf(change: LoadedChange): PolicyProgress {
  return evaluatePolicy(change, change.approvals, change.stakeholders);
}

// ---------------------------------------------------------------------------------------------
// Create, edit

async function ensureCounter(): Promise<void> {
  if (await db.counter.findUnique({ where: { name: "change" }, select: { name: true } })) return;
  const max = await db.changeRequest.aggregate({ _max: { number: true } });
  try {
    await db.counter.create({ data: { name: "change", value: max._max.number ?? 0 } });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err; // someone else created it first: fine
  }
}

/** A new DRAFT change; its number comes from the `change` counter, taken inside the same transaction. */
export async function createChange(actor: ChangeActor, input: TCreateChangeInput, context: RequestContext, source = "ui"): Promise<ChangeRef> {
  assertPermission(actor, "change.create");
  const plannedStart = toDate(input.plannedStart, input.timezoneOffset);
  const plannedEnd = toDate(input.plannedEnd, input.timezoneOffset);
  await ensureCounter();
  return db.$transaction(
    async (tx) => {
      const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true, environment: true } });
      if (!service) refuse("That service does not exist.", { serviceId: "Choose a service from the list." });
      const stakeholderIds = input.stakeholderIds?.length
        ? input.stakeholderIds
        : await defaultStakeholderIds(tx, service.id, actor.id);
      const stakeholders = await resolveStakeholders(tx, stakeholderIds, actor.id);
      const counter = await tx.counter.update({ where: { name: "change" }, data: { value: { increment: 1 } } });
      const fields = {
        title: input.title,
        type: input.type,
        risk: input.risk,
        riskAssessment: input.riskAssessment,
        description: input.description,
        implementationPlan: input.implementationPlan,
        rollbackPlan: input.rollbackPlan,
        plannedStart,
        plannedEnd,
        version: input.version,
      };
      const change = await tx.changeRequest.create({
        data: {
          ...fields,
          number: counter.value,
          serviceId: service.id,
          requesterId: actor.id,
          contentDigest: digestOf(snapshotOf(fields, [])),
          stakeholders: { create: stakeholders.map((s) => ({ userId: s.id })) },
        },
        select: { id: true, number: true, status: true, revision: true },
      });
      await audit(
        tx,
        "change.created",
        actor,
        context,
        change,
        {
          title: input.title,
          service: `${service.name} (${service.environment.toLowerCase()})`,
          type: input.type,
          risk: input.risk,
          plannedStart: plannedStart.toISOString(),
          plannedEnd: plannedEnd.toISOString(),
          version: input.version,
          stakeholders: names(stakeholders),
        },
        source,
      );
      return refOf(change);
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
}

export type UpdateResult = ChangeRef & { changedFields: string[]; approvalsMadeStale: string[]; returnedToSubmitted: boolean };

const FIELD_NAMES: Record<string, string> = {
  title: "Title",
  serviceId: "Service",
  type: "Type",
  risk: "Risk",
  riskAssessment: "Risk assessment",
  description: "Description",
  implementationPlan: "Implementation plan",
  rollbackPlan: "Rollback plan",
  plannedStart: "Planned start",
  plannedEnd: "Planned end",
  version: "Version",
  stakeholders: "Stakeholders",
};

/**
 * Edits a change that has not gone past SCHEDULED. If the edit touches what approvers approved
 * (plans, window, version, risk), earlier approvals become stale and an approved or scheduled
 * change returns to SUBMITTED.
 */
export async function updateChange(actor: ChangeActor, input: TUpdateChangeInput, context: RequestContext): Promise<UpdateResult> {
  assertPermission(actor, "change.create");
  return mutateChange(input.changeId, input.revision, async (tx, change) => {
    const ref = formatChangeNumber(change.number);
    if (!isRequesterOrAdmin(actor, change)) {
      throw new AppError("forbidden", `Only ${change.requester.name}, who raised ${ref}, or an administrator can edit it.`);
    }
    if (change.status === "REJECTED") notAllowedInStatus(change, "reopen it first, then edit it.");
    if (!EDITABLE.includes(change.status)) notAllowedInStatus(change, "it can no longer be edited.");

    const now = new Date();
    const data: Record<string, unknown> = {};
    const changedFields: string[] = [];
    const auditChanges: Record<string, unknown> = {};
    const set = (key: string, from: unknown, to: unknown, show = true) => {
      const same = from instanceof Date && to instanceof Date ? from.getTime() === to.getTime() : from === to;
      if (to === undefined || same) return;
      data[key] = to;
      changedFields.push(FIELD_NAMES[key] ?? key);
      auditChanges[key] = show
        ? { from: from instanceof Date ? from.toISOString() : from, to: to instanceof Date ? to.toISOString() : to }
        : "changed";
    };
    set("title", change.title, input.title);
    if (input.serviceId !== undefined && input.serviceId !== change.serviceId) {
      if (change.status !== "DRAFT") notAllowedInStatus(change, "the service can only be changed while it is a draft.");
      const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true } });
      if (!service) refuse("That service does not exist.", { serviceId: "Choose a service from the list." });
      data.serviceId = service.id;
      changedFields.push(FIELD_NAMES.serviceId!);
      auditChanges.service = { from: change.service.name, to: service.name };
    }
    set("type", change.type, input.type);
    set("risk", change.risk, input.risk);
    set("riskAssessment", change.riskAssessment, input.riskAssessment, false);
    set("description", change.description, input.description, false);
    set("implementationPlan", change.implementationPlan, input.implementationPlan, false);
    set("rollbackPlan", change.rollbackPlan, input.rollbackPlan, false);
    set("plannedStart", change.plannedStart, input.plannedStart === undefined ? undefined : toDate(input.plannedStart, input.timezoneOffset));
    set("plannedEnd", change.plannedEnd, input.plannedEnd === undefined ? undefined : toDate(input.plannedEnd, input.timezoneOffset));
    set("version", change.version, input.version);

    const type = (data.type as string | undefined) ?? change.type;
    const risk = (data.risk as string | undefined) ?? change.risk;
    if (type === "STANDARD" && risk !== "LOW") {
      refuse("A standard change must be low risk. Choose normal (or emergency) for a riskier change.", {
        risk: "A standard change must be low risk.",
      });
    }
    const start = (data.plannedStart as Date | undefined) ?? change.plannedStart;
    const end = (data.plannedEnd as Date | undefined) ?? change.plannedEnd;
    if (end.getTime() <= start.getTime()) {
      refuse("The planned end must be after the planned start.", { plannedEnd: "The planned end must be after the planned start." });
    }

    // Stakeholders: the new list replaces the old; decisions by people no longer named (who could
    // only decide because they were named) stop counting.
    let stakeholdersChanged = false;
    if (input.stakeholderIds !== undefined) {
      const wanted = [...new Set(input.stakeholderIds)].sort();
      const had = change.stakeholders.map((s) => s.userId).sort();
      if (wanted.join(",") !== had.join(",")) {
        const users = await resolveStakeholders(tx, wanted.filter((id) => !had.includes(id)), change.requesterId);
        const removed = change.stakeholders.filter((s) => !wanted.includes(s.userId));
        if (removed.length && change.status !== "DRAFT" && actor.role !== "ADMIN") {
          // Otherwise a requester could drop a stakeholder who is about to say no.
          const message = `Stakeholders can only be removed while the change is a draft (or by an administrator): ${names(removed.map((s) => s.user)).join(", ")} must stay.`;
          refuse(message, { stakeholderIds: message });
        }
        if (removed.length) {
          await tx.changeStakeholder.deleteMany({ where: { changeId: change.id, userId: { in: removed.map((s) => s.userId) } } });
          const onlyAsStakeholder = removed.filter((s) => s.user.role === "STAKEHOLDER").map((s) => s.userId);
          if (onlyAsStakeholder.length) {
            await tx.changeApproval.updateMany({
              where: { changeId: change.id, userId: { in: onlyAsStakeholder }, staleAt: null },
              data: { staleAt: now },
            });
          }
        }
        if (users.length) await tx.changeStakeholder.createMany({ data: users.map((u) => ({ changeId: change.id, userId: u.id })) });
        stakeholdersChanged = true;
        changedFields.push(FIELD_NAMES.stakeholders!);
        auditChanges.stakeholders = {
          added: names(users),
          removed: names(removed.map((s) => s.user)),
        };
        if (change.status !== "DRAFT" && users.length) {
          await notify(tx, users.map((u) => u.id), {
            kind: "change.stakeholder_added",
            title: `${formatChangeNumber(change.number)} needs your UAT sign-off and approval`,
            body: `${actor.name} named you as a stakeholder of “${(data.title as string | undefined) ?? change.title}”.`,
            link: linkTo(change.number),
          });
        }
      }
    }
    if (!changedFields.length) refuse("Nothing changed: the change already says that.");

    if (Object.keys(data).length) await tx.changeRequest.update({ where: { id: change.id }, data });
    // The type is not part of the digest, but it decides the policy and the freeze override:
    // switching it after submission voids earlier decisions too.
    const typeChanged = "type" in data && change.status !== "DRAFT";
    const restaled = await refreshDigest(tx, change, actor, now, typeChanged ? ["Type"] : []);

    // The policy may now ask for more (new stakeholder, higher risk) or less (a stakeholder removed).
    let after = await loadChange(tx, change.id);
    let statusChange: string | null = restaled.statusTo;
    const policy = policyOf(after);
    if ((after.status === "APPROVED" || after.status === "SCHEDULED") && !policy.met) {
      await tx.changeRequest.update({ where: { id: change.id }, data: { status: "SUBMITTED", decidedAt: null, scheduledAt: null } });
      statusChange = "SUBMITTED";
    } else if (after.status === "SUBMITTED" && policy.met && (stakeholdersChanged || "type" in data)) {
      await tx.changeRequest.update({ where: { id: change.id }, data: { status: "APPROVED", decidedAt: now } });
      statusChange = "APPROVED";
      await notify(tx, [after.requesterId, ...after.stakeholders.map((s) => s.userId)].filter((id) => id !== actor.id), {
        kind: "change.approved",
        title: `${formatChangeNumber(after.number)} is approved`,
        body: `“${after.title}” now meets its approval requirements.`,
        link: linkTo(after.number),
      });
    }
    after = await loadChange(tx, change.id);
    await audit(tx, "change.updated", actor, context, change, {
      fields: auditChanges,
      ...(restaled.changed ? { contentChanged: restaled.changedLabels, approvalsMadeStale: names(restaled.staleApprovers) } : {}),
      ...(statusChange ? { status: { from: change.status, to: statusChange } } : {}),
    });
    return {
      ...refOf(after),
      changedFields,
      approvalsMadeStale: names(restaled.staleApprovers),
      returnedToSubmitted: statusChange === "SUBMITTED" && change.status !== "SUBMITTED",
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Submit, decide, UAT

/** DRAFT -> SUBMITTED: the plans are written and the window lies ahead. Approvers and stakeholders are told. */
export async function submitChange(actor: ChangeActor, input: TChangeRefInput, context: RequestContext): Promise<ChangeRef> {
  assertPermission(actor, "change.create");
  return mutateChange(input.changeId, input.revision, async (tx, change) => {
    const ref = formatChangeNumber(change.number);
    if (!isRequesterOrAdmin(actor, change)) {
      throw new AppError("forbidden", `Only ${change.requester.name}, who raised ${ref}, or an administrator can submit it.`);
    }
    if (change.status !== "DRAFT") notAllowedInStatus(change, "only a draft can be submitted.");
    const missing: Record<string, string> = {};
    if (!change.implementationPlan.trim()) missing.implementationPlan = "Write the implementation plan before submitting.";
    if (!change.rollbackPlan.trim()) missing.rollbackPlan = "Write the rollback plan before submitting.";
    if (change.plannedStart.getTime() <= Date.now()) missing.plannedStart = "The change window must start in the future; move it.";
    if (Object.keys(missing).length) {
      const first = Object.values(missing);
      refuse(first.length === 1 ? first[0]! : `Before submitting: ${first.join(" ")}`, missing);
    }
    const now = new Date();
    await tx.changeRequest.update({ where: { id: change.id }, data: { status: "SUBMITTED", submittedAt: now, decidedAt: null } });
    const policy = policyOf(change);
    const stakeholderIds = change.stakeholders.map((s) => s.userId);
    const approverIds = (await eligibleApproverIds(tx, change.requesterId)).filter((id) => !stakeholderIds.includes(id));
    const toApprovers = await notify(tx, approverIds, {
      kind: "change.approval_needed",
      title: `${ref} needs your approval`,
      body: `${actor.name} submitted “${change.title}” (${change.type.toLowerCase()}, ${change.risk.toLowerCase()} risk) for ${change.service.name}. ${policy.rule}`,
      link: linkTo(change.number),
    });
    const toStakeholders =
      change.type === "EMERGENCY"
        ? await notify(tx, stakeholderIds, {
            kind: "change.stakeholder_notice",
            title: `Emergency change ${ref} on ${change.service.name}`,
            body: `${actor.name} submitted the emergency change “${change.title}”. You are a named stakeholder; your UAT sign-off is welcome but not required.`,
            link: linkTo(change.number),
          })
        : await notify(tx, stakeholderIds, {
            kind: "change.uat_needed",
            title: `${ref} needs your UAT sign-off and approval`,
            body: `${actor.name} submitted “${change.title}” for ${change.service.name}. As a named stakeholder, record your UAT sign-off, then approve or reject it.`,
            link: linkTo(change.number),
          });
    await audit(tx, "change.submitted", actor, context, change, {
      status: { from: "DRAFT", to: "SUBMITTED" },
      policy: policy.rule,
      notified: names([...toApprovers, ...toStakeholders]),
    });
    return refOf({ ...change, status: "SUBMITTED" });
  });
}

export type DecisionResult = ChangeRef & { policy: PolicyProgress };

/** One approval, bound to the change's current content; the change becomes APPROVED when the policy is met. */
export async function approveChange(actor: ChangeActor, input: TApproveChangeInput, context: RequestContext): Promise<DecisionResult> {
  assertPermission(actor, "change.approve");
  if (!input.rollbackAcknowledged) refuse("Tick “I have read the rollback plan” to approve.", { rollbackAcknowledged: "Tick this to approve." });
  return mutateChange(input.changeId, undefined, async (tx, change) => {
    const eligible = decisionEligibility(actor, change, change.approvals, change.stakeholders, "APPROVED");
    if (!eligible.ok) throw new AppError(eligible.code, eligible.reason);
    if (input.digest && input.digest !== change.contentDigest) {
      throw new AppError("conflict", "The change was edited after you opened it. Reload, read what changed, then approve.");
    }
    if (!change.rollbackPlan.trim()) refuse("The change has no rollback plan; it cannot be approved without one.");
    const snapshot = decisionSnapshot(change);
    await tx.changeApproval.create({
      data: {
        changeId: change.id,
        userId: actor.id,
        decision: "APPROVED",
        comment: input.comment,
        rollbackAcknowledged: true,
        digest: change.contentDigest,
        snapshot: JSON.stringify(snapshot),
      },
    });
    const after = await loadChange(tx, change.id);
    const policy = policyOf(after);
    const ref = formatChangeNumber(change.number);
    let status = change.status;
    let notified: { name: string }[];
    if (policy.met) {
      status = "APPROVED";
      await tx.changeRequest.update({ where: { id: change.id }, data: { status, decidedAt: new Date() } });
      notified = await notify(tx, [change.requesterId, ...change.stakeholders.map((s) => s.userId)].filter((id) => id !== actor.id), {
        kind: "change.approved",
        title: `${ref} is approved`,
        body: `${actor.name} approved “${change.title}”; it meets its approval requirements and can be scheduled.`,
        link: linkTo(change.number),
      });
    } else {
      notified = await notify(tx, [change.requesterId], {
        kind: "change.approval_recorded",
        title: `${actor.name} approved ${ref}`,
        body: `${policy.summary}.`,
        link: linkTo(change.number),
      });
    }
    await audit(tx, "change.approved", actor, context, change, {
      comment: input.comment,
      rollbackAcknowledged: true,
      digest: change.contentDigest,
      policy: policy.summary,
      ...(status !== change.status ? { status: { from: change.status, to: status } } : {}),
      notified: names(notified),
    });
    return { ...refOf({ ...change, status }), policy };
  });
}

/** A rejection (with the reason) ends the round at once: the change becomes REJECTED. */
export async function rejectChange(actor: ChangeActor, input: TRejectChangeInput, context: RequestContext): Promise<ChangeRef> {
  assertPermission(actor, "change.approve");
  if (!input.comment.trim()) refuse("Say why you are rejecting the change.", { comment: "Say why you are rejecting the change." });
  return mutateChange(input.changeId, undefined, async (tx, change) => {
    const eligible = decisionEligibility(actor, change, change.approvals, change.stakeholders, "REJECTED");
    if (!eligible.ok) throw new AppError(eligible.code, eligible.reason);
    await tx.changeApproval.create({
      data: {
        changeId: change.id,
        userId: actor.id,
        decision: "REJECTED",
        comment: input.comment,
        digest: change.contentDigest,
        snapshot: JSON.stringify(decisionSnapshot(change)),
      },
    });
    await tx.changeRequest.update({
      where: { id: change.id },
      data: { status: "REJECTED", decidedAt: new Date(), scheduledAt: null, freezeOverrideReason: "" },
    });
    const ref = formatChangeNumber(change.number);
    const notified = await notify(tx, [change.requesterId, ...change.stakeholders.map((s) => s.userId)].filter((id) => id !== actor.id), {
      kind: "change.rejected",
      title: `${ref} was rejected by ${actor.name}`,
      body: `“${change.title}”: ${input.comment}`,
      link: linkTo(change.number),
    });
    await audit(tx, "change.rejected", actor, context, change, {
      comment: input.comment,
      status: { from: change.status, to: "REJECTED" },
      notified: names(notified),
    });
    return refOf({ ...change, status: "REJECTED" });
  });
}

/** A named stakeholder's UAT result, bound to the change's current content. */
export async function signUat(actor: ChangeActor, input: TSignUatInput, context: RequestContext): Promise<ChangeRef> {
  assertPermission(actor, "change.uat_signoff");
  return mutateChange(input.changeId, undefined, async (tx, change) => {
    const named = change.stakeholders.find((s) => s.userId === actor.id);
    if (!named) throw new AppError("forbidden", "Only the stakeholders named on this change can sign off its UAT.");
    if (!UAT_OPEN.includes(change.status)) notAllowedInStatus(change, "UAT can be signed off only while it is submitted, approved or scheduled.");
    if (input.digest && input.digest !== change.contentDigest) {
      throw new AppError("conflict", "The change was edited after you opened it. Reload, read what changed, then sign off.");
    }
    if (currentApprovals(change.approvals).some((a) => a.userId === actor.id)) {
      throw new AppError("conflict", "You have already approved this change. To withdraw, reject it with a comment.");
    }
    const before = uatState(named, change.contentDigest);
    await tx.changeStakeholder.update({
      where: { changeId_userId: { changeId: change.id, userId: actor.id } },
      data: { uatResult: input.result, uatNotes: input.notes, uatAt: new Date(), uatDigest: change.contentDigest },
    });
    const ref = formatChangeNumber(change.number);
    const notified = await notify(tx, [change.requesterId], {
      kind: input.result === "PASSED" ? "change.uat_passed" : "change.uat_failed",
      title: `${actor.name} signed off UAT for ${ref}: ${input.result === "PASSED" ? "passed" : "failed"}`,
      body: input.notes || undefined,
      link: linkTo(change.number),
    });
    await audit(tx, "change.uat_signed", actor, context, change, {
      result: input.result,
      notes: input.notes,
      digest: change.contentDigest,
      ...(before !== "PENDING" ? { previous: before } : {}),
      notified: names(notified),
    });
    return refOf(change);
  });
}

// ---------------------------------------------------------------------------------------------
// Evidence, comments

export type EvidenceResultRef = ChangeRef & { evidenceId: string; approvalsMadeStale: string[]; returnedToSubmitted: boolean };

/**
 * New checklist evidence supersedes the item's previous evidence (which stays, for the history).
 * `source`: "ui" or "api:<token prefix>". New evidence changes what approvers approved.
 */
export async function recordEvidence(
  actor: ChangeActor,
  input: TRecordEvidenceInput | (TEvidenceBody & { changeId: string }),
  context: RequestContext,
  source = "ui",
): Promise<EvidenceResultRef> {
  assertPermission(actor, "change.create");
  return mutateChange(input.changeId, undefined, async (tx, change) => {
    if (!EVIDENCE_OPEN.includes(change.status)) notAllowedInStatus(change, "checklist evidence can no longer be recorded.");
    let file: { id: string; fileName: string } | null = null;
    if (input.fileId) {
      file = await tx.evidenceFile.findFirst({ where: { id: input.fileId, changeId: change.id }, select: { id: true, fileName: true } });
      if (!file) refuse("That file is not attached to this change. Upload it first.", { fileId: "Choose a file uploaded to this change." });
    }
    const verifiedAt = input.verifiedAt ? toDate(input.verifiedAt, input.timezoneOffset) : null;
    if (verifiedAt && verifiedAt.getTime() > Date.now() + 60_000) {
      refuse("The backup time is in the future.", { verifiedAt: "The backup cannot have been taken in the future." });
    }
    const now = new Date();
    const superseded = await tx.changeEvidence.updateMany({
      where: { changeId: change.id, item: input.item, supersededAt: null },
      data: { supersededAt: now },
    });
    const evidence = await tx.changeEvidence.create({
      data: {
        changeId: change.id,
        item: input.item,
        result: input.result,
        summary: input.summary,
        link: input.link,
        fileId: file?.id ?? null,
        verifiedAt,
        recordedById: actor.id,
        source: source.slice(0, 191),
        recordedAt: now,
      },
      select: { id: true },
    });
    const restaled = await refreshDigest(tx, change, actor, now);
    const after = await loadChange(tx, change.id);
    if (actor.id !== change.requesterId) {
      await notify(tx, [change.requesterId], {
        kind: "change.evidence_recorded",
        title: `${EVIDENCE_LABELS[input.item]} ${input.result === "PASSED" ? "passed" : "failed"} on ${formatChangeNumber(change.number)}`,
        body: `${actor.name}${source !== "ui" ? ` (${source})` : ""} recorded it${input.summary ? `: ${input.summary}` : "."}`,
        link: linkTo(change.number),
      });
    }
    await audit(
      tx,
      "change.evidence_recorded",
      actor,
      context,
      change,
      {
        item: input.item,
        result: input.result,
        summary: input.summary,
        link: input.link,
        ...(file ? { file: file.fileName } : {}),
        ...(verifiedAt ? { verifiedAt: verifiedAt.toISOString() } : {}),
        source,
        supersedes: superseded.count > 0,
        ...(restaled.staleApprovers.length ? { approvalsMadeStale: names(restaled.staleApprovers) } : {}),
        ...(restaled.statusTo ? { status: { from: change.status, to: restaled.statusTo } } : {}),
      },
      source,
    );
    return {
      ...refOf(after),
      evidenceId: evidence.id,
      approvalsMadeStale: names(restaled.staleApprovers),
      returnedToSubmitted: restaled.statusTo === "SUBMITTED",
    };
  });
}

/** `@local-part` of a user's email, not part of an email address itself. */
export function mentionsIn(body: string): string[] {
  const found = new Set<string>();
  for (const m of body.matchAll(/(^|[^A-Za-z0-9._%+-])@([A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])/g)) found.add(m[2]!.toLowerCase());
  return [...found];
}

/** A comment on the change's timeline; people mentioned as @local-part are notified. */
export async function addComment(actor: ChangeActor, input: TCommentInput, context: RequestContext): Promise<{ commentId: string; notified: string[] }> {
  assertPermission(actor, "change.comment");
  return db.$transaction(
    async (tx) => {
      const change = await tx.changeRequest.findUnique({
        where: { id: input.changeId },
        select: { id: true, number: true, title: true, requesterId: true },
      });
      if (!change) throw new AppError("not_found", "That change request does not exist.");
      const locals = mentionsIn(input.body);
      const mentioned = locals.length
        ? (
            await tx.user.findMany({
              where: { active: true, OR: locals.map((l) => ({ email: { startsWith: `${l}@` } })) },
              select: { id: true, email: true },
            })
          ).filter((u) => locals.includes(u.email.slice(0, u.email.indexOf("@")).toLowerCase()) && u.id !== actor.id)
        : [];
      const comment = await tx.changeComment.create({
        data: { changeId: change.id, authorId: actor.id, body: input.body },
        select: { id: true },
      });
      const ref = formatChangeNumber(change.number);
      const excerpt = input.body.length > 300 ? `${input.body.slice(0, 297)}...` : input.body;
      const toMentioned = await notify(tx, mentioned.map((u) => u.id), {
        kind: "change.mentioned",
        title: `${actor.name} mentioned you on ${ref}`,
        body: excerpt,
        link: linkTo(change.number),
      });
      const toRequester =
        change.requesterId !== actor.id && !mentioned.some((u) => u.id === change.requesterId)
          ? await notify(tx, [change.requesterId], {
              kind: "change.commented",
              title: `${actor.name} commented on ${ref}`,
              body: excerpt,
              link: linkTo(change.number),
            })
          : [];
      const notified = names([...toMentioned, ...toRequester]);
      await audit(tx, "change.commented", actor, context, change, {
        commentId: comment.id,
        mentioned: names(toMentioned),
        notified,
      });
      return { commentId: comment.id, notified };
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
}

// ---------------------------------------------------------------------------------------------
// Schedule, cancel, reopen, close, retrospective

function fmt(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** APPROVED -> SCHEDULED: the window lies ahead and no freeze applies (emergencies may override, with a reason). */
export async function scheduleChange(actor: ChangeActor, input: TScheduleChangeInput, context: RequestContext): Promise<ChangeRef & { freezeOverridden: boolean }> {
  assertPermission(actor, "change.create");
  return mutateChange(input.changeId, input.revision, async (tx, change) => {
    if (change.status !== "APPROVED") notAllowedInStatus(change, "only an approved change can be scheduled.");
    if (!policyOf(change).met) throw new AppError("conflict", `It no longer meets its approval requirements: ${policyOf(change).summary}.`);
    if (change.plannedEnd.getTime() <= Date.now()) {
      refuse("The change window has already passed. Edit the window (it will need approving again), then schedule it.");
    }
    const freezes = await overlappingFreezes(tx, change.service.environment, change.plannedStart, change.plannedEnd);
    const reason = input.freezeOverrideReason.trim();
    if (freezes.length) {
      const f = freezes[0]!;
      const what = `the freeze window “${f.reason}” (${fmt(f.startsAt)} to ${fmt(f.endsAt)})`;
      if (change.type !== "EMERGENCY") {
        refuse(`The change window overlaps ${what}. Move the window outside the freeze.`);
      }
      if (!reason) {
        const message = `The change window overlaps ${what}. To schedule this emergency change anyway, give an override reason.`;
        refuse(message, { freezeOverrideReason: "Say why this emergency change must go ahead during the freeze." });
      }
    }
    const now = new Date();
    await tx.changeRequest.update({
      where: { id: change.id },
      data: { status: "SCHEDULED", scheduledAt: now, freezeOverrideReason: freezes.length ? reason : "" },
    });
    const ref = formatChangeNumber(change.number);
    const notified = await notify(
      tx,
      [change.requesterId, ...change.stakeholders.map((s) => s.userId), ...currentApprovals(change.approvals).map((a) => a.userId)].filter(
        (id) => id !== actor.id,
      ),
      {
        kind: "change.scheduled",
        title: `${ref} is scheduled for ${fmt(change.plannedStart)}`,
        body: `“${change.title}” on ${change.service.name}, until ${fmt(change.plannedEnd)}.${freezes.length ? ` Emergency override of a freeze window: ${reason}` : ""}`,
        link: linkTo(change.number),
      },
    );
    await audit(tx, "change.scheduled", actor, context, change, {
      status: { from: "APPROVED", to: "SCHEDULED" },
      plannedStart: change.plannedStart.toISOString(),
      plannedEnd: change.plannedEnd.toISOString(),
      ...(freezes.length ? { freezeOverride: { reason, freezes: freezes.map((f) => ({ id: f.id, reason: f.reason })) } } : {}),
      notified: names(notified),
    });
    return { ...refOf({ ...change, status: "SCHEDULED" }), freezeOverridden: freezes.length > 0 };
  });
}

export async function cancelChange(actor: ChangeActor, input: TCancelChangeInput, context: RequestContext): Promise<ChangeRef> {
  assertPermission(actor, "change.create");
  return mutateChange(input.changeId, input.revision, async (tx, change) => {
    const ref = formatChangeNumber(change.number);
    if (actor.id !== change.requesterId && !isReleaseAuthority(actor.role)) {
      throw new AppError("forbidden", `Only ${change.requester.name}, who raised ${ref}, a release manager or an administrator can cancel it.`);
    }
    if (!CANCELLABLE.includes(change.status)) notAllowedInStatus(change, "it can no longer be cancelled.");
    await tx.changeRequest.update({ where: { id: change.id }, data: { status: "CANCELLED", closedAt: new Date() } });
    const notified =
      change.status === "DRAFT"
        ? []
        : await notify(
            tx,
            [change.requesterId, ...change.stakeholders.map((s) => s.userId), ...currentApprovals(change.approvals).map((a) => a.userId)].filter(
              (id) => id !== actor.id,
            ),
            { kind: "change.cancelled", title: `${ref} was cancelled`, body: `${actor.name}: ${input.reason}`, link: linkTo(change.number) },
          );
    await audit(tx, "change.cancelled", actor, context, change, {
      reason: input.reason,
      status: { from: change.status, to: "CANCELLED" },
      notified: names(notified),
    });
    return refOf({ ...change, status: "CANCELLED" });
  });
}

/** REJECTED -> DRAFT, for another round: earlier decisions stop counting. */
export async function reopenChange(actor: ChangeActor, input: TChangeRefInput, context: RequestContext): Promise<ChangeRef> {
  assertPermission(actor, "change.create");
  return mutateChange(input.changeId, input.revision, async (tx, change) => {
    if (change.status !== "REJECTED") notAllowedInStatus(change, "only a rejected change can be reopened.");
    const now = new Date();
    const { count } = await tx.changeApproval.updateMany({ where: { changeId: change.id, staleAt: null }, data: { staleAt: now } });
    await tx.changeRequest.update({
      where: { id: change.id },
      data: { status: "DRAFT", submittedAt: null, decidedAt: null, scheduledAt: null },
    });
    await audit(tx, "change.reopened", actor, context, change, {
      status: { from: "REJECTED", to: "DRAFT" },
      decisionsRetired: count,
    });
    return refOf({ ...change, status: "DRAFT" });
  });
}

/** DEPLOYED / ROLLED_BACK / FAILED -> CLOSED with the post-implementation review. */
export async function closeChange(actor: ChangeActor, input: TCloseChangeInput, context: RequestContext): Promise<ChangeRef> {
  assertPermission(actor, "change.create");
  return mutateChange(input.changeId, input.revision, async (tx, change) => {
    if (!CLOSABLE.includes(change.status)) {
      notAllowedInStatus(change, "only a deployed, rolled back or failed change can be closed with a post-implementation review.");
    }
    await tx.changeRequest.update({
      where: { id: change.id },
      data: {
        status: "CLOSED",
        closedAt: new Date(),
        pirServiceVerification: input.serviceVerification,
        pirPerformanceValidation: input.performanceValidation,
        pirSecurityConfirmation: input.securityConfirmation,
        pirDocumentationUpdate: input.documentationUpdate,
        pirById: actor.id,
      },
    });
    const ref = formatChangeNumber(change.number);
    const notified = await notify(tx, [change.requesterId, ...change.stakeholders.map((s) => s.userId)].filter((id) => id !== actor.id), {
      kind: "change.closed",
      title: `${ref} is closed`,
      body: `${actor.name} recorded the post-implementation review of “${change.title}”.`,
      link: linkTo(change.number),
    });
    await audit(tx, "change.closed", actor, context, change, {
      status: { from: change.status, to: "CLOSED" },
      pir: {
        serviceVerification: input.serviceVerification,
        performanceValidation: input.performanceValidation,
        securityConfirmation: input.securityConfirmation,
        documentationUpdate: input.documentationUpdate,
      },
      notified: names(notified),
    });
    return refOf({ ...change, status: "CLOSED" });
  });
}

/** True while an emergency change owes its retrospective review. */
export function retrospectiveDue(change: { type: string; status: string; retrospectiveAt: Date | null }): boolean {
  return change.type === "EMERGENCY" && change.retrospectiveAt === null && RETRO_DUE.includes(change.status);
}

/** The retrospective an emergency change owes; clears its "retrospective due" flag. */
export async function recordRetrospective(actor: ChangeActor, input: TRetrospectiveInput, context: RequestContext): Promise<ChangeRef> {
  assertPermission(actor, "change.review");
  return mutateChange(input.changeId, undefined, async (tx, change) => {
    if (change.type !== "EMERGENCY") refuse("Only emergency changes have a retrospective review.");
    if (change.retrospectiveAt) throw new AppError("conflict", "The retrospective review is already recorded.");
    if (!RETRO_DUE.includes(change.status)) notAllowedInStatus(change, "a retrospective is recorded once an emergency change was approved.");
    if (actor.id === change.requesterId) {
      throw new AppError("forbidden", "You raised this emergency change; someone else must review it.");
    }
    await tx.changeRequest.update({
      where: { id: change.id },
      data: { retrospectiveAt: new Date(), retrospectiveById: actor.id, retrospectiveNotes: input.notes },
    });
    const notified = await notify(tx, [change.requesterId], {
      kind: "change.retrospective_recorded",
      title: `Retrospective recorded for ${formatChangeNumber(change.number)}`,
      body: `${actor.name} reviewed the emergency change “${change.title}”.`,
      link: linkTo(change.number),
    });
    await audit(tx, "change.retrospective_recorded", actor, context, change, { notes: input.notes, notified: names(notified) });
    return refOf(change);
  });
}

