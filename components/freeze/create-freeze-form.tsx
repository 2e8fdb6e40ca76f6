"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, type FormEvent } from "react";
import { createFreezeWindowAction } from "@/app/(portal)/changes/freeze-windows/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";

const ENVIRONMENT_OPTIONS = [
  { value: "", label: "All environments" },
  { value: "PRODUCTION", label: "Production" },
  { value: "STAGING", label: "Staging" },
];

/** Times are typed and shown in UTC, like everywhere in the portal: the field labels say so. */
export function CreateFreezeForm({ nowUtc }: { nowUtc: string }) {
  const { run, result, pending, stepUpDialog } = useGuardedAction(createFreezeWindowAction);
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

  const affected = result?.ok ? result.data.affectedChanges : [];

  return (
    <>
      <form ref={formRef} aria-label="Create a freeze window" onSubmit={submit} noValidate className="space-y-5 p-4 sm:p-6">
        <ActionStatus result={result} />
        {result?.ok ? (
          affected.length ? (
            <div role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-100">
              <p className="font-medium">
                Freeze window created. It overlaps {affected.length} approved or scheduled change{affected.length > 1 ? "s" : ""}
                {result.data.notifiedCount ? `; ${result.data.notifiedCount === 1 ? "its requester has" : "their requesters have"} been notified` : ""}:
              </p>
              <ul className="mt-1 list-disc space-y-0.5 pl-5">
                {affected.map((c) => (
                  <li key={c.number}>
                    <Link href={`/changes/${c.number}`} className="font-mono font-medium underline underline-offset-2">
                      {c.number}
                    </Link>{" "}
                    {c.title} ({c.status.toLowerCase()})
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <Alert tone="info">Freeze window created. No approved or scheduled change falls inside it.</Alert>
          )
        ) : null}
        <div className="grid gap-5 sm:grid-cols-3">
          <Field
            id="startsAt"
            name="startsAt"
            type="datetime-local"
            label="Starts (UTC)"
            required
            hint={`It is now ${nowUtc}.`}
            error={errors.startsAt}
          />
          <Field id="endsAt" name="endsAt" type="datetime-local" label="Ends (UTC)" required error={errors.endsAt} />
          <SelectField id="environment" name="environment" label="Environment" options={ENVIRONMENT_OPTIONS} defaultValue="" error={errors.environment} />
        </div>
        <div className="space-y-1.5">
          <label htmlFor="reason" className="block text-sm font-medium text-slate-700 dark:text-slate-200">
            Reason
          </label>
          <textarea
            id="reason"
            name="reason"
            rows={2}
            required
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={errors.reason ? "reason-error" : "reason-hint"}
            className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm outline-none transition focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:bg-slate-900 ${
              errors.reason ? "border-red-500" : "border-slate-300 dark:border-slate-700"
            }`}
          />
          {errors.reason ? (
            <p id="reason-error" className="text-xs font-medium text-red-600 dark:text-red-400">
              {errors.reason}
            </p>
          ) : (
            <p id="reason-hint" className="text-xs text-slate-500 dark:text-slate-400">
              Shown to everyone whose change is refused because of it, e.g. &quot;Black Friday trading&quot;.
            </p>
          )}
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create freeze window"}
        </Button>
      </form>
      {stepUpDialog}
    </>
  );
}
