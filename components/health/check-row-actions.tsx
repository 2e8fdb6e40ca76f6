"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { deleteCheckAction, pauseCheckAction, resumeCheckAction, testSavedCheckAction } from "@/app/(portal)/health/[serviceId]/checks/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { ConfirmForm } from "@/components/ui/confirm-form";
import { TestNowResultView } from "./test-now-result";

/** Edit, Test now, Pause or Resume, and Delete (asks first) for one check in the list. */
export function CheckRowActions({ serviceId, checkId, name, paused }: { serviceId: string; checkId: string; name: string; paused: boolean }) {
  const toggle = useGuardedAction(paused ? resumeCheckAction : pauseCheckAction);
  const remove = useGuardedAction(deleteCheckAction);
  const test = useGuardedAction(testSavedCheckAction);
  const router = useRouter();
  const done = toggle.result?.ok || remove.result?.ok;
  const resetToggle = toggle.reset;
  useEffect(() => {
    if (!done) return;
    resetToggle();
    router.refresh();
  }, [done, resetToggle, router]);

  const form = () => {
    const data = new FormData();
    data.set("checkId", checkId);
    return data;
  };
  const busy = toggle.pending || remove.pending;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-start justify-end gap-1.5">
        <Link
          href={`/health/${serviceId}/checks/${checkId}`}
          aria-label={`Edit ${name}`}
          className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
        >
          Edit
        </Link>
        <Button variant="secondary" aria-label={`Test ${name} now`} disabled={test.pending} onClick={() => test.run(form())}>
          {test.pending ? "Testing…" : "Test now"}
        </Button>
        <Button variant="secondary" aria-label={`${paused ? "Resume" : "Pause"} ${name}`} disabled={busy} onClick={() => toggle.run(form())}>
          {toggle.pending ? "Working…" : paused ? "Resume" : "Pause"}
        </Button>
        <ConfirmForm
          fields={{ checkId }}
          trigger="Delete"
          confirm={`Yes, delete ${name}`}
          question={
            <>
              Delete the check <strong>{name}</strong>? Its history (samples, roll-ups and state changes) goes with it; the audit trail keeps
              what it was.
            </>
          }
          run={remove.run}
          pending={remove.pending}
        />
      </div>
      <div role="status" aria-live="polite" aria-label={`Test result of ${name}`} className="text-left">
        {!test.pending && test.result?.ok ? <TestNowResultView result={test.result.data} compact /> : null}
      </div>
      {!test.pending && test.result && !test.result.ok ? <ActionStatus result={test.result} /> : null}
      <ActionStatus result={toggle.result && !toggle.result.ok ? toggle.result : null} />
      <ActionStatus result={remove.result && !remove.result.ok ? remove.result : null} />
      {toggle.stepUpDialog}
      {remove.stepUpDialog}
      {test.stepUpDialog}
    </div>
  );
}
