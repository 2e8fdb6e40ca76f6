"use client";

import type { FormEvent } from "react";
import { signUatAction } from "@/app/(portal)/changes/actions";
import { ActionStatus } from "@/components/ui/action-status";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/text-area-field";
import type { StakeholderView } from "@/lib/changes/detail";
import { formatDateTime } from "@/lib/ui/format";
import { Note, Panel } from "./panel";
import { useChangeAction } from "./use-change-action";

type Props = {
  changeId: string;
  /** The content being signed off: refused if the change moved on meanwhile. */
  digest: string;
  rows: StakeholderView[];
  /** The viewer is a named stakeholder and may record their sign-off now. */
  canSign: boolean;
  viewerId: string;
};

function Outcome({ row }: { row: StakeholderView }) {
  switch (row.uat.state) {
    case "PENDING":
      return <Badge>Waiting</Badge>;
    case "STALE":
      return <Badge tone="warning">Signed before the last edit: needed again</Badge>;
    case "PASSED":
      return <Badge tone="success">Passed</Badge>;
    case "FAILED":
      return <Badge tone="danger">Failed</Badge>;
  }
}

export function UatPanel({ changeId, digest, rows, canSign, viewerId }: Props) {
  const mine = rows.find((r) => r.userId === viewerId);
  return (
    <Panel title="UAT sign-off" description="Every named stakeholder records pass or fail. An edit to the change asks them again.">
      {rows.length ? (
        <ul className="space-y-3">
          {rows.map((r) => (
            <li key={r.userId} aria-label={`UAT by ${r.name}`} className="text-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span>
                  <span className="font-medium">{r.name}</span>{" "}
                  <span className="text-xs text-slate-500 dark:text-slate-400">{r.email}</span>
                </span>
                <Outcome row={r} />
              </div>
              {r.uat.at ? <p className="text-xs text-slate-500 dark:text-slate-400">Signed {formatDateTime(r.uat.at)}</p> : null}
              {r.uat.notes ? <p className="mt-1 whitespace-pre-wrap text-slate-700 dark:text-slate-300">{r.uat.notes}</p> : null}
            </li>
          ))}
        </ul>
      ) : (
        <Note>No stakeholders are named on this change, so UAT needs nobody&rsquo;s sign-off.</Note>
      )}
      {canSign && mine ? <SignOffForm changeId={changeId} digest={digest} again={mine.uat.state !== "PENDING"} /> : null}
    </Panel>
  );
}

function SignOffForm({ changeId, digest, again }: { changeId: string; digest: string; again: boolean }) {
  const { run, result, pending, stepUpDialog } = useChangeAction(signUatAction);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    run(new FormData(event.currentTarget));
  }
  return (
    <>
      <form
        aria-label="Your UAT sign-off"
        onSubmit={submit}
        noValidate
        className="space-y-3 border-t border-slate-200 pt-4 dark:border-slate-800"
      >
        <input type="hidden" name="changeId" value={changeId} />
        <input type="hidden" name="digest" value={digest} />
        <ActionStatus result={result} success="Your UAT sign-off is recorded." />
        <fieldset>
          <legend className="text-sm font-medium">{again ? "Record your UAT result again" : "Your UAT result"}</legend>
          <div className="mt-1 flex gap-4 text-sm">
            <label className="flex items-center gap-1.5">
              <input type="radio" name="result" value="PASSED" defaultChecked className="h-4 w-4" /> Passed
            </label>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="result" value="FAILED" className="h-4 w-4" /> Failed
            </label>
          </div>
        </fieldset>
        <TextAreaField id="uat-notes" name="notes" label="UAT notes" rows={2}  hint="What you tested and anything you noticed. Required when it failed." error={errors.notes} />
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Record UAT sign-off"}
        </Button>
      </form>
      {stepUpDialog}
    </>
  );
}
