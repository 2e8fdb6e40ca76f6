import type { RequestContext } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { overlappingFreezes } from "../freeze/overlap.ts";
import { notify } from "../notifications/notify.ts";
import { assertPermission } from "../rbac/assert.ts";
import { digestOf, snapshotOf } from "./digest.ts";
import { formatChangeNumber } from "./number.ts";
import { currentApprovals, isReleaseAuthority } from "./policy.ts";
import {
  toDate,
  type TCancelChangeInput,
  type TChangeRefInput,
  type TCloseChangeInput,
  type TCreateChangeInput,
  type TRetrospectiveInput,
  type TScheduleChangeInput,
  type TUpdateChangeInput,
} from "./schemas.ts";
import { loadChange, mutateChange } from "./store.ts";
import {
  type ChangeActor,
  type ChangeRef,
  EDITABLE,
  CANCELLABLE,
  CLOSABLE,
  RETRO_DUE,
  linkTo,
  refOf,
  refuse,
  notAllowedInStatus,
  isRequesterOrAdmin,
  audit,
  names,
  resolveStakeholders,
  defaultStakeholderIds,
  eligibleApproverIds,
  refreshDigest,
  policyOf,
  ensureCounter,
  fmt,
} from "./shared.ts";

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
