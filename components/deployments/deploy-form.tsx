"use client";

import { Rocket } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, type FormEvent } from "react";
import { triggerDeploymentAction } from "@/app/(portal)/deployments/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/text-area-field";

/**
 * The Deploy button. The idempotency key was made when the page rendered, so a double click (or the
 * step-up dialog's retry) sends the same key and the server starts one deployment; once it has
 * started, the page moves to the live deployment.
 */
export function DeployForm({
  changeId,
  idempotencyKey,
  askOverrideReason,
  summary,
}: {
  changeId: string;
  idempotencyKey: string;
  /** An emergency change inside a freeze: deploying needs a reason for overriding it. */
  askOverrideReason: boolean;
  /** What pressing Deploy will do, for the line above the button. */
  summary: string;
}) {
  const deploy = useGuardedAction(triggerDeploymentAction);
  const router = useRouter();
  const started = deploy.result?.ok ? deploy.result.data.reference : null;
  useEffect(() => {
    if (started) router.push(`/deployments/${started}`);
  }, [started, router]);
  const errors = deploy.result && !deploy.result.ok ? (deploy.result.fieldErrors ?? {}) : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (deploy.pending || started) return;
    deploy.run(new FormData(event.currentTarget));
  }

  return (
    <form aria-label="Deploy this change" onSubmit={submit} noValidate className="space-y-3 border-t border-slate-200 pt-4 dark:border-slate-800">
      <input type="hidden" name="changeId" value={changeId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <ActionStatus result={deploy.result?.ok ? null : deploy.result} />
      {started ? <p role="status" className="text-sm">{`${started} started. Opening its live page…`}</p> : null}
      {askOverrideReason ? (
        <TextAreaField
          id="deploy-override-reason"
          name="overrideReason"
          label="Reason for overriding the freeze"
          rows={2}
          required
          hint="Required for an emergency change inside a freeze window; it goes into the audit trail."
          error={errors.overrideReason}
        />
      ) : null}
      <p className="text-xs text-slate-500 dark:text-slate-400">{summary} You will be asked for an authenticator code.</p>
      <Button type="submit" disabled={deploy.pending || started !== null}>
        <Rocket aria-hidden="true" className="h-4 w-4" />
        {deploy.pending || started ? "Deploying…" : "Deploy"}
      </Button>
      {deploy.stepUpDialog}
    </form>
  );
}
