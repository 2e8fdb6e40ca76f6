import type { RequestContext } from "../audit/record.ts";
import { AppError } from "../errors.ts";
import { notify } from "../notifications/notify.ts";
import { assertPermission } from "../rbac/assert.ts";
import { formatChangeNumber } from "./number.ts";
import { currentApprovals, decisionEligibility, uatState, type PolicyProgress } from "./policy.ts";
import { type TApproveChangeInput, type TRejectChangeInput, type TSignUatInput } from "./schemas.ts";
import { decisionSnapshot, loadChange, mutateChange } from "./store.ts";
import {
  type ChangeActor,
  type ChangeRef,
  UAT_OPEN,
  linkTo,
  refOf,
  refuse,
  notAllowedInStatus,
  audit,
  names,
  policyOf,
} from "./shared.ts";

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

