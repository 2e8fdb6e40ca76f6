"use client";

import Link from "next/link";
import { useState, type FormEvent, type ReactNode } from "react";
import {
  cancelChangeAction,
  closeChangeAction,
  recordRetrospectiveAction,
  reopenChangeAction,
  scheduleChangeAction,
  submitChangeAction,
} from "@/app/(portal)/changes/actions";
import { ActionStatus } from "@/components/ui/action-status";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmForm } from "@/components/ui/confirm-form";
import { TextAreaField } from "@/components/ui/text-area-field";
import type { ActionResult } from "@/lib/actions/define-action";
import type { AllowedActions } from "@/lib/changes/detail";
import type { PirSuggestions } from "@/lib/deployments/pir";
import { useChangeAction } from "./use-change-action";

type Props = {
  changeId: string;
  number: string;
  revision: number;
  allowed: AllowedActions;
  /** The window overlaps a freeze and the change is an emergency: scheduling asks for an override reason. */
  freezeOverride: boolean;
  /** Drafts of the review fields from the last deployment (lib/deployments/pir.ts); null when closing is not allowed. */
  pir?: PirSuggestions | null;
};

const linkButton =
  "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800";

/** The change's next steps; only what the server says the viewer may do now is shown. */
export function ChangeActions({ changeId, number, revision, allowed, freezeOverride, pir = null }: Props) {
  const fields = { changeId, revision: String(revision) };
  const submit = useChangeAction(submitChangeAction);
  const reopen = useChangeAction(reopenChangeAction);
  const schedule = useChangeAction(scheduleChangeAction);
  const [form, setForm] = useState<"close" | "retrospective" | "schedule" | "cancel" | null>(null);

  const any = [allowed.canSubmit, allowed.canEdit, allowed.canSchedule, allowed.canReopen, allowed.canClose, allowed.canReview, allowed.canCancel];
  if (!any.some(Boolean) && form === null) return null;

  return (
    <section aria-label="Actions" className="space-y-3">
      <ActionStatus result={submit.result} success="Submitted: approvers and stakeholders have been told." />
      <ActionStatus result={reopen.result} success="Reopened as a draft: edit it and submit again." />
      <ActionStatus result={schedule.result} success="Scheduled." />
      <div className="flex flex-wrap items-start gap-2">
        {allowed.canSubmit ? (
          <ConfirmForm
            fields={fields}
            trigger="Submit for approval"
            confirm="Submit"
            question="Approvers and the named stakeholders will be asked to decide. Editing afterwards asks them again."
            danger={false}
            run={submit.run}
            pending={submit.pending}
          />
        ) : null}
        {allowed.canEdit ? (
          <Link href={`/changes/${number}/edit`} className={linkButton}>
            Edit
          </Link>
        ) : null}
        {allowed.canSchedule && !freezeOverride ? (
          <ConfirmForm
            fields={fields}
            trigger="Schedule"
            confirm="Schedule"
            question="The change window is checked against freeze windows once more."
            danger={false}
            run={schedule.run}
            pending={schedule.pending}
          />
        ) : null}
        {allowed.canSchedule && freezeOverride && form !== "schedule" ? (
          <Button variant="secondary" onClick={() => setForm("schedule")}>
            Schedule despite the freeze…
          </Button>
        ) : null}
        {allowed.canReopen ? (
          <ConfirmForm
            fields={fields}
            trigger="Reopen as draft"
            confirm="Reopen"
            question="The change goes back to draft so it can be edited and submitted again."
            danger={false}
            run={reopen.run}
            pending={reopen.pending}
          />
        ) : null}
        {allowed.canClose && form !== "close" ? (
          <Button variant="secondary" onClick={() => setForm("close")}>
            Close with review…
          </Button>
        ) : null}
        {allowed.canReview && form !== "retrospective" ? (
          <Button variant="secondary" onClick={() => setForm("retrospective")}>
            Record retrospective…
          </Button>
        ) : null}
        {allowed.canCancel && form !== "cancel" ? (
          <Button variant="secondary" className="text-red-700! dark:text-red-400!" onClick={() => setForm("cancel")}>
            Cancel change…
          </Button>
        ) : null}
      </div>
      {form === "schedule" ? (
        <ScheduleOverrideForm changeId={changeId} revision={revision} onClose={() => setForm(null)} />
      ) : null}
      {form === "close" ? <CloseForm changeId={changeId} revision={revision} pir={pir} onClose={() => setForm(null)} /> : null}
      {form === "cancel" ? <CancelForm changeId={changeId} revision={revision} onClose={() => setForm(null)} /> : null}
      {form === "retrospective" ? (
        <RetrospectiveForm changeId={changeId} revision={revision} onClose={() => setForm(null)} />
      ) : null}
      {submit.stepUpDialog}
      {reopen.stepUpDialog}
      {schedule.stepUpDialog}
    </section>
  );
}

function FormShell({
  label,
  onSubmit,
  children,
}: {
  label: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  return (
    <form
      aria-label={label}
      onSubmit={onSubmit}
      noValidate
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="text-sm font-semibold">{label}</h2>
      {children}
    </form>
  );
}

function useFormAction<T>(action: (form: FormData) => Promise<ActionResult<T>>) {
  const guarded = useChangeAction(action);
  const errors = guarded.result && !guarded.result.ok ? (guarded.result.fieldErrors ?? {}) : {};
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    guarded.run(new FormData(event.currentTarget));
  }
  return { ...guarded, errors, onSubmit };
}

function Hidden({ changeId, revision }: { changeId: string; revision: number }) {
  return (
    <>
      <input type="hidden" name="changeId" value={changeId} />
      <input type="hidden" name="revision" value={revision} />
    </>
  );
}

function FormButtons({
  pending,
  label,
  onClose,
  danger,
  closeLabel = "Cancel",
}: {
  pending: boolean;
  label: string;
  onClose: () => void;
  danger?: boolean;
  closeLabel?: string;
}) {
  return (
    <div className="flex flex-wrap gap-2">
      <Button type="submit" variant={danger ? "danger" : "primary"} disabled={pending}>
        {pending ? "Saving…" : label}
      </Button>
      <Button variant="ghost" onClick={onClose}>
        {closeLabel}
      </Button>
    </div>
  );
}

function ScheduleOverrideForm({ changeId, revision, onClose }: { changeId: string; revision: number; onClose: () => void }) {
  const f = useFormAction(scheduleChangeAction);
  if (f.result?.ok) return <Alert tone="info">Scheduled with a freeze override.</Alert>;
  return (
    <>
      <FormShell label="Schedule in a freeze window" onSubmit={f.onSubmit}>
        <Hidden changeId={changeId} revision={revision} />
        <ActionStatus result={f.result} />
        <p className="text-sm text-slate-600 dark:text-slate-400">
          The change window overlaps a freeze. As an emergency change it may go ahead with a recorded reason.
        </p>
        <TextAreaField
          id="freezeOverrideReason"
          name="freezeOverrideReason"
          label="Override reason"
          rows={2}
          required
          error={f.errors.freezeOverrideReason}
        />
        <FormButtons pending={f.pending} label="Schedule with override" onClose={onClose} />
      </FormShell>
      {f.stepUpDialog}
    </>
  );
}

function CloseForm({ changeId, revision, pir, onClose }: { changeId: string; revision: number; pir: PirSuggestions | null; onClose: () => void }) {
  const f = useFormAction(closeChangeAction);
  if (f.result?.ok) return <Alert tone="info">Closed with its post-implementation review.</Alert>;
  const drafted = Boolean(pir && (pir.serviceVerification || pir.performanceValidation || pir.securityConfirmation || pir.documentationUpdate));
  const rows = drafted ? 5 : 2;
  return (
    <>
      <FormShell label="Post-implementation review" onSubmit={f.onSubmit}>
        <Hidden changeId={changeId} revision={revision} />
        <ActionStatus result={f.result} />
        {drafted ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {pir?.deployment
              ? `Drafted from what ${pir.deployment} recorded, the security scan and the service's runbook.`
              : "Drafted from the security scan and the service's runbook."}{" "}
            Check and edit each answer before closing.
          </p>
        ) : null}
        <div className="grid gap-4 lg:grid-cols-2">
          <TextAreaField id="serviceVerification" name="serviceVerification" label="Service verification" rows={rows} required defaultValue={pir?.serviceVerification} error={f.errors.serviceVerification} />
          <TextAreaField id="performanceValidation" name="performanceValidation" label="Performance validation" rows={rows} required defaultValue={pir?.performanceValidation} error={f.errors.performanceValidation} />
          <TextAreaField id="securityConfirmation" name="securityConfirmation" label="Security confirmation" rows={rows} required defaultValue={pir?.securityConfirmation} error={f.errors.securityConfirmation} />
          <TextAreaField id="documentationUpdate" name="documentationUpdate" label="Documentation update" rows={rows} required defaultValue={pir?.documentationUpdate} error={f.errors.documentationUpdate} />
        </div>
        <FormButtons pending={f.pending} label="Close change" onClose={onClose} />
      </FormShell>
      {f.stepUpDialog}
    </>
  );
}

function CancelForm({ changeId, revision, onClose }: { changeId: string; revision: number; onClose: () => void }) {
  const f = useFormAction(cancelChangeAction);
  if (f.result?.ok) return <Alert tone="info">The change is cancelled.</Alert>;
  return (
    <>
      <FormShell label="Cancel this change" onSubmit={f.onSubmit}>
        <Hidden changeId={changeId} revision={revision} />
        <ActionStatus result={f.result} />
        <p className="text-sm text-slate-600 dark:text-slate-400">Nobody can act on a cancelled change afterwards.</p>
        <TextAreaField id="cancel-reason" name="reason" label="Reason for cancelling" rows={2} required error={f.errors.reason} />
        <FormButtons pending={f.pending} label="Cancel the change" onClose={onClose} danger closeLabel="Keep it" />
      </FormShell>
      {f.stepUpDialog}
    </>
  );
}

function RetrospectiveForm({ changeId, revision, onClose }: { changeId: string; revision: number; onClose: () => void }) {
  const f = useFormAction(recordRetrospectiveAction);
  if (f.result?.ok) return <Alert tone="info">Retrospective recorded.</Alert>;
  return (
    <>
      <FormShell label="Retrospective review" onSubmit={f.onSubmit}>
        <Hidden changeId={changeId} revision={revision} />
        <ActionStatus result={f.result} />
        <TextAreaField
          id="retrospectiveNotes"
          name="notes"
          label="Retrospective notes"
          rows={4}
          required
          hint="Why it could not wait, what went well, what to change."
          error={f.errors.notes}
        />
        <FormButtons pending={f.pending} label="Record retrospective" onClose={onClose} />
      </FormShell>
      {f.stepUpDialog}
    </>
  );
}
