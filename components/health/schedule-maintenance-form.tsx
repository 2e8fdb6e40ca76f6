"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, type FormEvent } from "react";
import { scheduleMaintenanceAction } from "@/app/(portal)/health/[serviceId]/maintenance/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { TextAreaField } from "@/components/ui/text-area-field";

/** Times are typed and shown in UTC, like everywhere in the portal: the labels say so. */
export function ScheduleMaintenanceForm({ serviceId, nowUtc, maxDays }: { serviceId: string; nowUtc: string; maxDays: number }) {
  const { run, result, pending, stepUpDialog } = useGuardedAction(scheduleMaintenanceAction);
  const formRef = useRef<HTMLFormElement>(null);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const router = useRouter();

  useEffect(() => {
    if (!result?.ok) return;
    formRef.current?.reset();
    router.refresh();
  }, [result, router]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    run(new FormData(event.currentTarget));
  }

  return (
    <>
      <form ref={formRef} aria-label="Schedule maintenance" onSubmit={submit} noValidate className="space-y-5 p-4 sm:p-6">
        <input type="hidden" name="serviceId" value={serviceId} />
        <ActionStatus result={result} success="Maintenance scheduled. State changes inside it will be recorded muted." />
        <div className="grid gap-5 sm:grid-cols-2">
          <Field id="maintenance-starts" name="startsAt" type="datetime-local" label="Starts (UTC)" required hint={`It is now ${nowUtc}. May start now.`} error={errors.startsAt} />
          <Field id="maintenance-ends" name="endsAt" type="datetime-local" label="Ends (UTC)" required hint={`At most ${maxDays} days after the start.`} error={errors.endsAt} />
        </div>
        <TextAreaField id="maintenance-reason" name="reason" label="Reason" rows={2} required error={errors.reason} hint={'What is being done, e.g. "Database upgrade to 10.11". Shown on the charts.'} />
        <Button type="submit" disabled={pending}>
          {pending ? "Scheduling…" : "Schedule maintenance"}
        </Button>
      </form>
      {stepUpDialog}
    </>
  );
}
