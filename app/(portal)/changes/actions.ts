"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import {
  ZApproveChangeInput,
  ZCancelChangeInput,
  ZChangeRefInput,
  ZCloseChangeInput,
  ZCommentInput,
  ZCreateChangeInput,
  ZRecordEvidenceInput,
  ZRejectChangeInput,
  ZRetrospectiveInput,
  ZScheduleChangeInput,
  ZSignUatInput,
  ZUpdateChangeInput,
} from "@/lib/changes/schemas";
import {
  addComment,
  approveChange,
  cancelChange,
  closeChange,
  createChange,
  recordEvidence,
  recordRetrospective,
  rejectChange,
  reopenChange,
  scheduleChange,
  signUat,
  submitChange,
  updateChange,
} from "@/lib/changes/service";

/*
 * Thin wrappers: defineAction checks the permission (and step-up for decisions), parses the form
 * with the schema, and the lib/changes function enforces every rule. Each returns the change's
 * reference (number, CHG-000123, status, revision) so the screen can redirect or redraw.
 */

async function refreshed<T>(result: Promise<T>): Promise<T> {
  const value = await result;
  revalidatePath("/changes", "layout");
  return value;
}

export const createChangeAction = defineAction(
  { name: "change.create", permission: "change.create", schema: ZCreateChangeInput },
  (c) => refreshed(createChange(c.user, c.input, c.request)),
);

export const updateChangeAction = defineAction(
  { name: "change.update", permission: "change.create", schema: ZUpdateChangeInput },
  (c) => refreshed(updateChange(c.user, c.input, c.request)),
);

export const submitChangeAction = defineAction(
  { name: "change.submit", permission: "change.create", schema: ZChangeRefInput },
  (c) => refreshed(submitChange(c.user, c.input, c.request)),
);

export const approveChangeAction = defineAction(
  { name: "change.approve", permission: "change.approve", schema: ZApproveChangeInput, stepUp: true },
  (c) => refreshed(approveChange(c.user, c.input, c.request)),
);

export const rejectChangeAction = defineAction(
  { name: "change.reject", permission: "change.approve", schema: ZRejectChangeInput, stepUp: true },
  (c) => refreshed(rejectChange(c.user, c.input, c.request)),
);

export const signUatAction = defineAction(
  { name: "change.uat_signoff", permission: "change.uat_signoff", schema: ZSignUatInput },
  (c) => refreshed(signUat(c.user, c.input, c.request)),
);

export const recordEvidenceAction = defineAction(
  { name: "change.record_evidence", permission: "change.create", schema: ZRecordEvidenceInput },
  (c) => refreshed(recordEvidence(c.user, c.input, c.request, "ui")),
);

export const addCommentAction = defineAction(
  { name: "change.comment", permission: "change.comment", schema: ZCommentInput },
  (c) => refreshed(addComment(c.user, c.input, c.request)),
);

export const scheduleChangeAction = defineAction(
  { name: "change.schedule", permission: "change.create", schema: ZScheduleChangeInput },
  (c) => refreshed(scheduleChange(c.user, c.input, c.request)),
);

export const cancelChangeAction = defineAction(
  { name: "change.cancel", permission: "change.create", schema: ZCancelChangeInput },
  (c) => refreshed(cancelChange(c.user, c.input, c.request)),
);

export const reopenChangeAction = defineAction(
  { name: "change.reopen", permission: "change.create", schema: ZChangeRefInput },
  (c) => refreshed(reopenChange(c.user, c.input, c.request)),
);

export const closeChangeAction = defineAction(
  { name: "change.close", permission: "change.create", schema: ZCloseChangeInput },
  (c) => refreshed(closeChange(c.user, c.input, c.request)),
);

export const recordRetrospectiveAction = defineAction(
  { name: "change.retrospective", permission: "change.review", schema: ZRetrospectiveInput },
  (c) => refreshed(recordRetrospective(c.user, c.input, c.request)),
);
