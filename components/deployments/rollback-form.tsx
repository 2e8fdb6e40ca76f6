"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Undo2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, type FormEvent } from "react";
import { requestRollbackAction } from "@/app/(portal)/deployments/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/text-area-field";

/**
 * "Roll back": for a running deployment the runner stops and moves traffic back; for a succeeded
 * one traffic returns to the previous colour. Behind step-up; the page resumes polling afterwards.
 */
export function RollbackForm({ deploymentId, reference, running, previous }: { deploymentId: string; reference: string; running: boolean; previous: string }) {
  const rollback = useGuardedAction(requestRollbackAction);
  const client = useQueryClient();
  const router = useRouter();
  const done = rollback.result?.ok === true;
  useEffect(() => {
    if (!done) return;
    void client.invalidateQueries({ queryKey: ["deployment", reference] });
    router.refresh();
  }, [done, client, reference, router]);
  const errors = rollback.result && !rollback.result.ok ? (rollback.result.fieldErrors ?? {}) : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (rollback.pending) return;
    rollback.run(new FormData(event.currentTarget));
  }

  return (
    <form
      aria-label="Roll back this deployment"
      onSubmit={submit}
      noValidate
      className="space-y-3 rounded-xl border border-amber-200 bg-amber-50/50 p-4 dark:border-amber-500/30 dark:bg-amber-500/5"
    >
      <input type="hidden" name="deploymentId" value={deploymentId} />
      <p className="text-sm">
        {running
          ? `Stops the deployment and keeps (or puts back) traffic on ${previous}.`
          : `Sends traffic back to ${previous}, the colour that was live before this deployment.`}
      </p>
      <ActionStatus result={rollback.result} success="Rollback requested. The steps below follow it." />
      <TextAreaField id="rollback-reason" name="reason" label="Reason for rolling back" rows={2} required error={errors.reason} />
      <Button type="submit" variant="danger" disabled={rollback.pending}>
        <Undo2 aria-hidden="true" className="h-4 w-4" />
        {rollback.pending ? "Rolling back…" : "Roll back"}
      </Button>
      {rollback.stepUpDialog}
    </form>
  );
}
