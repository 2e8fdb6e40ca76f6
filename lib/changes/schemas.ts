import { z } from "zod";
import { CHANGE_RISKS, CHANGE_TYPES } from "./filters.ts";

/*
 * Input of every change-request operation, shared by the server actions (FormData -> object via
 * formDataObject) and the /api/v1 handlers (JSON). Messages are written for the person filling in
 * the form, per field.
 */

export const EVIDENCE_ITEMS = ["SECURITY_SCAN", "PERFORMANCE_TEST", "BACKUP_VERIFICATION"] as const;
export const EVIDENCE_RESULTS = ["PASSED", "FAILED"] as const;

export type ChangeTypeValue = (typeof CHANGE_TYPES)[number];
export type ChangeRiskValue = (typeof CHANGE_RISKS)[number];
export type EvidenceItemValue = (typeof EVIDENCE_ITEMS)[number];

const ZId = (message: string) => z.string().trim().min(1, message).max(64, message);

export const ZChangeId = ZId("Choose a change.");

/** A form's empty string means "not given"; numbers arrive as strings from forms. */
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/**
 * A date and time: ISO 8601 with an offset or Z (API), or a form's datetime-local value
 * "2026-11-27T14:30" (no offset), read as UTC unless the form also sends `timezoneOffset`
 * (the browser's Date#getTimezoneOffset(), minutes), which the service applies.
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const ZDateTime = (label: string) =>
  z
    .string({ message: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .regex(DATE_TIME, `Enter the ${label} as a date and time, like 2026-12-01T14:30.`)
    .refine((s) => !Number.isNaN(Date.parse(hasOffset(s) ? s : `${s}Z`)), `The ${label} is not a real date.`);

export function hasOffset(s: string): boolean {
  return /(Z|[+-]\d{2}:?\d{2})$/i.test(s);
}

/** Form value -> Date: naive datetime-local values are read in the browser's zone when its offset is known. */
export function toDate(value: string, timezoneOffset?: number): Date {
  if (hasOffset(value)) return new Date(value);
  const utc = new Date(`${value}Z`);
  return new Date(utc.getTime() + (timezoneOffset ?? 0) * 60_000);
}

const ZTimezoneOffset = z.preprocess(
  emptyToUndefined,
  z.coerce.number({ message: "Invalid time zone offset." }).int().min(-900).max(900).optional(),
);

/** A multi-select: one value arrives as a string, several as an array, a hidden "" marks "present but none". */
const ZIdList = z.preprocess(
  (v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).filter((x) => !(typeof x === "string" && x.trim() === ""))),
  z.array(ZId("Choose a person from the list.")).max(20, "Name at most 20 stakeholders.").optional(),
);

const ZRevision = z.preprocess(
  emptyToUndefined,
  z.coerce.number({ message: "Reload the page and try again." }).int().min(0).optional(),
);

const text = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep the ${label} under ${max.toLocaleString("en-GB")} characters.`);

const changeFields = {
  title: z.string().trim().min(1, "Enter a title.").max(120, "Keep the title to 120 characters or fewer."),
  serviceId: ZId("Choose the service this change is for."),
  type: z.enum(CHANGE_TYPES, { message: "Choose the type: standard, normal or emergency." }),
  risk: z.enum(CHANGE_RISKS, { message: "Choose the risk: low, medium or high." }),
  riskAssessment: text("risk assessment", 5000).default(""),
  description: text("description", 10000).default(""),
  implementationPlan: text("implementation plan", 20000).default(""),
  rollbackPlan: text("rollback plan", 20000).default(""),
  plannedStart: ZDateTime("planned start"),
  plannedEnd: ZDateTime("planned end"),
  version: text("version", 191).default(""),
  stakeholderIds: ZIdList,
  timezoneOffset: ZTimezoneOffset,
};

function windowIssue(
  value: { plannedStart?: string; plannedEnd?: string; timezoneOffset?: number },
  ctx: z.RefinementCtx,
): void {
  if (!value.plannedStart || !value.plannedEnd) return;
  const start = toDate(value.plannedStart, value.timezoneOffset);
  const end = toDate(value.plannedEnd, value.timezoneOffset);
  if (end.getTime() <= start.getTime()) {
    ctx.addIssue({ code: "custom", path: ["plannedEnd"], message: "The planned end must be after the planned start." });
  }
}

function standardIsLowRisk(value: { type?: string; risk?: string }, ctx: z.RefinementCtx): void {
  if (value.type === "STANDARD" && value.risk && value.risk !== "LOW") {
    ctx.addIssue({
      code: "custom",
      path: ["risk"],
      message: "A standard change must be low risk. Choose normal (or emergency) for a riskier change.",
    });
  }
}

export const ZCreateChangeInput = z.object(changeFields).superRefine((v, ctx) => {
  windowIssue(v, ctx);
  standardIsLowRisk(v, ctx);
});
export type TCreateChangeInput = z.infer<typeof ZCreateChangeInput>;

/**
 * Edit: every field optional (a form sends them all, the API may send a few). stakeholderIds
 * absent = unchanged, present and empty = nobody. `revision` is the one the form was drawn from:
 * if someone changed the change since, the edit is refused rather than overwriting theirs.
 */
export const ZUpdateChangeInput = z
  .object({
    changeId: ZChangeId,
    revision: ZRevision,
    title: changeFields.title.optional(),
    serviceId: changeFields.serviceId.optional(),
    type: changeFields.type.optional(),
    risk: changeFields.risk.optional(),
    riskAssessment: text("risk assessment", 5000).optional(),
    description: text("description", 10000).optional(),
    implementationPlan: text("implementation plan", 20000).optional(),
    rollbackPlan: text("rollback plan", 20000).optional(),
    plannedStart: ZDateTime("planned start").optional(),
    plannedEnd: ZDateTime("planned end").optional(),
    version: text("version", 191).optional(),
    stakeholderIds: ZIdList,
    timezoneOffset: ZTimezoneOffset,
  })
  .superRefine((v, ctx) => {
    windowIssue(v, ctx);
    standardIsLowRisk(v, ctx);
  });
export type TUpdateChangeInput = z.infer<typeof ZUpdateChangeInput>;

/** Submit, reopen: the change, and optionally the revision the person saw. */
export const ZChangeRefInput = z.object({ changeId: ZChangeId, revision: ZRevision });
export type TChangeRefInput = z.infer<typeof ZChangeRefInput>;

const checkbox = z.preprocess(
  (v) => v === true || v === "true" || v === "on" || v === "1",
  z.boolean(),
);

/**
 * Approve. `digest` (optional) is the contentDigest the approver was shown: when the change was
 * edited meanwhile, the approval is refused instead of being bound to content they did not read.
 */
export const ZApproveChangeInput = z.object({
  changeId: ZChangeId,
  comment: text("comment", 5000).default(""),
  rollbackAcknowledged: checkbox.refine((v) => v, "Tick “I have read the rollback plan” to approve."),
  digest: z.preprocess(emptyToUndefined, z.string().trim().max(64).optional()),
});
export type TApproveChangeInput = z.infer<typeof ZApproveChangeInput>;

export const ZRejectChangeInput = z.object({
  changeId: ZChangeId,
  comment: z
    .string({ message: "Say why you are rejecting the change." })
    .trim()
    .min(1, "Say why you are rejecting the change.")
    .max(5000, "Keep the comment under 5,000 characters."),
});
export type TRejectChangeInput = z.infer<typeof ZRejectChangeInput>;

export const ZSignUatInput = z
  .object({
    changeId: ZChangeId,
    result: z.enum(EVIDENCE_RESULTS, { message: "Choose passed or failed." }),
    notes: text("notes", 5000).default(""),
    digest: z.preprocess(emptyToUndefined, z.string().trim().max(64).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.result === "FAILED" && !v.notes) {
      ctx.addIssue({ code: "custom", path: ["notes"], message: "Say what failed in user acceptance testing." });
    }
  });
export type TSignUatInput = z.infer<typeof ZSignUatInput>;

const ZLink = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : v),
  z
    .string()
    .max(2000, "Keep the link under 2,000 characters.")
    .refine((s) => s === "" || /^https?:\/\/\S+$/i.test(s), "Enter a link starting with https:// (or http://).")
    .default(""),
);

/** Evidence for one checklist item; rules per item are checked by recordEvidence (it knows the files). */
export const ZEvidenceFields = z.object({
  item: z.enum(EVIDENCE_ITEMS, { message: "Choose the checklist item: security scan, performance test or backup verification." }),
  result: z.enum(EVIDENCE_RESULTS, { message: "Choose passed or failed." }),
  summary: text("summary", 5000).default(""),
  link: ZLink,
  fileId: z.preprocess(emptyToUndefined, ZId("Choose an uploaded file.").optional()),
  /** When the verified backup was taken (backup verification). */
  verifiedAt: z.preprocess(emptyToUndefined, ZDateTime("backup time").optional()),
  timezoneOffset: ZTimezoneOffset,
});

function evidenceIssues(v: z.infer<typeof ZEvidenceFields>, ctx: z.RefinementCtx): void {
  if (v.item === "SECURITY_SCAN" && !v.link && !v.fileId) {
    ctx.addIssue({ code: "custom", path: ["link"], message: "Give a link to the scan report or attach the report file." });
  }
  if (v.item === "PERFORMANCE_TEST") {
    if (!v.summary) ctx.addIssue({ code: "custom", path: ["summary"], message: "Summarise the performance test results." });
    if (!v.link && !v.fileId) {
      ctx.addIssue({ code: "custom", path: ["link"], message: "Give a link to the results or attach the results file." });
    }
  }
  if (v.item === "BACKUP_VERIFICATION") {
    if (!v.verifiedAt) ctx.addIssue({ code: "custom", path: ["verifiedAt"], message: "Enter when the verified backup was taken." });
    if (!v.link) ctx.addIssue({ code: "custom", path: ["link"], message: "Give a link to the backup or its verification record." });
  }
}

export const ZRecordEvidenceInput = ZEvidenceFields.extend({ changeId: ZChangeId }).superRefine(evidenceIssues);
export type TRecordEvidenceInput = z.infer<typeof ZRecordEvidenceInput>;

/** The API's evidence body (the change comes from the URL). */
export const ZEvidenceBody = ZEvidenceFields.superRefine(evidenceIssues);
export type TEvidenceBody = z.infer<typeof ZEvidenceBody>;

export const ZCommentInput = z.object({
  changeId: ZChangeId,
  body: z.string().trim().min(1, "Write a comment.").max(10000, "Keep the comment under 10,000 characters."),
});
export type TCommentInput = z.infer<typeof ZCommentInput>;

export const ZScheduleChangeInput = z.object({
  changeId: ZChangeId,
  revision: ZRevision,
  /** Only for an emergency change whose window falls in a freeze window. */
  freezeOverrideReason: text("override reason", 2000).default(""),
});
export type TScheduleChangeInput = z.infer<typeof ZScheduleChangeInput>;

export const ZCancelChangeInput = z.object({
  changeId: ZChangeId,
  revision: ZRevision,
  reason: z.string().trim().min(1, "Say why the change is cancelled.").max(2000, "Keep the reason under 2,000 characters."),
});
export type TCancelChangeInput = z.infer<typeof ZCancelChangeInput>;

const pirText = (label: string) =>
  z
    .string({ message: `Describe the ${label}.` })
    .trim()
    .min(1, `Describe the ${label}.`)
    .max(10000, `Keep the ${label} under 10,000 characters.`);

/** Close with the post-implementation review: all four parts are required. */
export const ZCloseChangeInput = z.object({
  changeId: ZChangeId,
  revision: ZRevision,
  serviceVerification: pirText("service verification"),
  performanceValidation: pirText("performance validation"),
  securityConfirmation: pirText("security confirmation"),
  documentationUpdate: pirText("documentation update"),
});
export type TCloseChangeInput = z.infer<typeof ZCloseChangeInput>;

export const ZRetrospectiveInput = z.object({
  changeId: ZChangeId,
  notes: z
    .string()
    .trim()
    .min(1, "Write what the retrospective found and decided.")
    .max(20000, "Keep the notes under 20,000 characters."),
});
export type TRetrospectiveInput = z.infer<typeof ZRetrospectiveInput>;
