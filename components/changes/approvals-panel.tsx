"use client";

import { useState, type FormEvent } from "react";
import { approveChangeAction, rejectChangeAction } from "@/app/(portal)/changes/actions";
import { ActionStatus } from "@/components/ui/action-status";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/text-area-field";
import type { ApprovalView } from "@/lib/changes/detail";
import type { PolicyProgress } from "@/lib/changes/policy";
import { formatDateTime } from "@/lib/ui/format";
import { Note, Panel } from "./panel";
import { useChangeAction } from "./use-change-action";

type Props = {
  changeId: string;
  status: string;
  /** The content the viewer is looking at: an approval is refused if the change moved on meanwhile. */
  digest: string;
  policy: PolicyProgress;
  approvals: ApprovalView[];
  canApprove: boolean;
  canReject: boolean;
  /** Why the viewer cannot decide, when they cannot (e.g. "You raised this change."). */
  cannotDecideReason: string | null;
};

export function ApprovalsPanel({ changeId, status, digest, policy, approvals, canApprove, canReject, cannotDecideReason }: Props) {
  return (
    <Panel title="Approvals" description={policy.rule}>
      {status === "DRAFT" ? (
        <Note>Approvers are asked once the change is submitted.</Note>
      ) : status === "REJECTED" ? (
        <Note>Rejected. It can be reopened as a draft, edited and submitted again.</Note>
      ) : status === "CANCELLED" ? (
        <Note>Cancelled: no more decisions are taken.</Note>
      ) : (
        <p className={`text-sm font-medium ${policy.met ? "text-emerald-700 dark:text-emerald-400" : ""}`}>
          {policy.summary}.{" "}
          <span className="font-normal text-slate-600 dark:text-slate-400">
            {policy.approved} of {policy.required} {policy.required === 1 ? "approval" : "approvals"} so far.
          </span>
        </p>
      )}
      {approvals.length ? (
        <ul className="space-y-3" aria-label="Decisions">
          {approvals.map((a) => (
            <li
              key={a.id}
              aria-label={`${a.decision === "APPROVED" ? "Approval" : "Rejection"} by ${a.user.name}${a.stale ? " (stale)" : ""}`}
              className={`rounded-lg border px-3 py-2 text-sm ${
                a.stale
                  ? "border-amber-200 bg-amber-50/60 dark:border-amber-500/30 dark:bg-amber-500/5"
                  : "border-slate-200 dark:border-slate-700"
              }`}
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span>
                  <span className="font-medium">{a.user.name}</span>{" "}
                  <span className="text-xs text-slate-500 dark:text-slate-400">{a.user.roleLabel}</span>
                </span>
                <span className="flex flex-wrap gap-1.5">
                  {a.decision === "APPROVED" ? <Badge tone="success">Approved</Badge> : <Badge tone="danger">Rejected</Badge>}
                  {a.stale ? <Badge tone="warning">Stale: no longer counts</Badge> : null}
                </span>
              </div>
              <p className="text-xs text-slate-500 dark:text-slate-400">
                {formatDateTime(a.createdAt)}
                {a.rollbackAcknowledged ? " · read the rollback plan" : ""}
              </p>
              {a.comment ? <p className="mt-1 whitespace-pre-wrap">{a.comment}</p> : null}
              {a.stale ? (
                <p className="mt-1 text-xs font-medium text-amber-800 dark:text-amber-300">
                  Changed since: {a.changedSince.length ? a.changedSince.join(", ") : "the approved content"}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <Note>No decisions yet.</Note>
      )}
      {canApprove || canReject ? (
        <DecisionForms changeId={changeId} digest={digest} canApprove={canApprove} canReject={canReject} />
      ) : cannotDecideReason && status === "SUBMITTED" ? (
        <Note>{cannotDecideReason}</Note>
      ) : null}
    </Panel>
  );
}

function DecisionForms({ changeId, digest, canApprove, canReject }: { changeId: string; digest: string; canApprove: boolean; canReject: boolean }) {
  const approve = useChangeAction(approveChangeAction);
  const reject = useChangeAction(rejectChangeAction);
  const [chosen, setChosen] = useState<"approve" | "reject" | null>(null);
  // Once the decision is recorded the server no longer offers it: the form closes by itself.
  const mode = (chosen === "approve" && !canApprove) || (chosen === "reject" && !canReject) ? null : chosen;
  const setMode = setChosen;

  function submitWith(run: (form: FormData) => void) {
    return (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      run(new FormData(event.currentTarget));
    };
  }

  const approveErrors = approve.result && !approve.result.ok ? (approve.result.fieldErrors ?? {}) : {};
  const rejectErrors = reject.result && !reject.result.ok ? (reject.result.fieldErrors ?? {}) : {};

  return (
    <div className="space-y-3 border-t border-slate-200 pt-4 dark:border-slate-800">
      {approve.result?.ok ? <Alert tone="info">Your approval is recorded.</Alert> : null}
      {reject.result?.ok ? <Alert tone="info">Your rejection is recorded.</Alert> : null}
      {mode === null ? (
        <div className="flex flex-wrap gap-2">
          {canApprove ? <Button onClick={() => setMode("approve")}>Approve…</Button> : null}
          {canReject ? (
            <Button variant="secondary" className="text-red-700! dark:text-red-400!" onClick={() => setMode("reject")}>
              Reject…
            </Button>
          ) : null}
        </div>
      ) : null}
      {mode === "approve" ? (
        <form aria-label="Approve this change" onSubmit={submitWith(approve.run)} noValidate className="space-y-3">
          <input type="hidden" name="changeId" value={changeId} />
          <input type="hidden" name="digest" value={digest} />
          <ActionStatus result={approve.result?.ok ? null : approve.result} />
          <TextAreaField id="approve-comment" name="comment" label="Comment (optional)" rows={2} error={approveErrors.comment} />
          <div>
            <label className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                name="rollbackAcknowledged"
                value="true"
                aria-invalid={approveErrors.rollbackAcknowledged ? true : undefined}
                aria-describedby={approveErrors.rollbackAcknowledged ? "rollback-ack-error" : undefined}
                className="mt-0.5 h-4 w-4 rounded"
              />
              I have read the rollback plan
            </label>
            {approveErrors.rollbackAcknowledged ? (
              <p id="rollback-ack-error" className="text-xs font-medium text-red-600 dark:text-red-400">
                {approveErrors.rollbackAcknowledged}
              </p>
            ) : null}
          </div>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Your approval is bound to the plan, window, version and evidence as they are now. You will be asked for an
            authenticator code.
          </p>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={approve.pending}>
              {approve.pending ? "Approving…" : "Approve change"}
            </Button>
            <Button variant="ghost" onClick={() => setMode(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
      {mode === "reject" ? (
        <form aria-label="Reject this change" onSubmit={submitWith(reject.run)} noValidate className="space-y-3">
          <input type="hidden" name="changeId" value={changeId} />
          <ActionStatus result={reject.result?.ok ? null : reject.result} />
          <TextAreaField
            id="reject-comment"
            name="comment"
            label="Reason for rejecting"
            rows={3}
            required
            hint="Required. The requester sees it and can reopen the change to address it."
            error={rejectErrors.comment}
          />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant="danger" disabled={reject.pending}>
              {reject.pending ? "Rejecting…" : "Reject change"}
            </Button>
            <Button variant="ghost" onClick={() => setMode(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
      {approve.stepUpDialog}
      {reject.stepUpDialog}
    </div>
  );
}
