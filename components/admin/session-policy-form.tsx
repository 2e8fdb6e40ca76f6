"use client";

import type { FormEvent } from "react";
import { saveSessionPolicyAction } from "@/app/(portal)/admin/security/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { TSessionPolicy } from "@/lib/settings/session-policy";

export function SessionPolicyForm({ policy }: { policy: TSessionPolicy }) {
  const { run, result, pending, stepUpDialog } = useGuardedAction(saveSessionPolicyAction);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    run(new FormData(event.currentTarget));
  }

  return (
    <>
      <form aria-label="Session policy" onSubmit={submit} noValidate className="space-y-4 p-4">
        <ActionStatus
          result={result}
          success={result?.ok ? (result.data.changed ? "Session policy saved. It applies from the next request." : "Nothing changed.") : undefined}
        />
        <div className="grid gap-4 sm:grid-cols-3">
          <Field
            id="idleMinutes"
            name="idleMinutes"
            type="number"
            inputMode="numeric"
            min={1}
            max={1440}
            label="Idle timeout (minutes)"
            hint="Signed out after this long without a request."
            defaultValue={policy.idleMinutes}
            error={errors.idleMinutes}
          />
          <Field
            id="absoluteHours"
            name="absoluteHours"
            type="number"
            inputMode="numeric"
            min={1}
            max={720}
            label="Session lifetime (hours)"
            hint="However active; applies to new sign-ins."
            defaultValue={policy.absoluteHours}
            error={errors.absoluteHours}
          />
          <Field
            id="stepUpMinutes"
            name="stepUpMinutes"
            type="number"
            inputMode="numeric"
            min={1}
            max={60}
            label="Step-up window (minutes)"
            hint="How long a re-entered code covers sensitive actions."
            defaultValue={policy.stepUpMinutes}
            error={errors.stepUpMinutes}
          />
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save session policy"}
        </Button>
      </form>
      {stepUpDialog}
    </>
  );
}
