"use client";

import { Check, Copy, Smartphone } from "lucide-react";
import { signIn } from "next-auth/react";
import { useEffect, useId, useRef, useState, useTransition, type FormEvent, type ReactNode } from "react";
import { confirmEnrolmentAction } from "@/app/sign-in/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { EnrolmentDone } from "@/lib/auth/complete-enrolment";
import type { PendingEnrolment } from "@/lib/auth/enrolment";
import { RecoveryCodes } from "./recovery-codes";

/**
 * Authenticator enrolment, then the recovery codes, then the session: the same three screens for a
 * first sign-in without MFA, an account setup link and the first administrator.
 */
export function EnrolmentFlow({
  enrolment,
  callbackUrl = "/",
  intro,
  footer,
}: {
  enrolment: PendingEnrolment;
  callbackUrl?: string;
  intro?: ReactNode;
  /** Under the form, e.g. "Use a different account". */
  footer?: ReactNode;
}) {
  const [done, setDone] = useState<EnrolmentDone>();
  const [error, setError] = useState<string>();
  const [finishing, setFinishing] = useState(false);

  async function finish(handoff: string) {
    setFinishing(true);
    setError(undefined);
    const result = await signIn("handoff", { handoff, redirect: false });
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setFinishing(false);
    setError(result?.error ?? "Signing in failed. Sign in with your password and authenticator code.");
  }

  if (done) {
    return (
      <RecoveryCodes
        codes={done.recoveryCodes}
        account={enrolment.account}
        continueLabel="Continue to Ops Portal"
        onContinue={() => finish(done.handoff)}
        busy={finishing}
        error={error}
      />
    );
  }
  return <EnrolmentForm enrolment={enrolment} intro={intro} footer={footer} onEnrolled={setDone} />;
}

function EnrolmentForm({
  enrolment,
  intro,
  footer,
  onEnrolled,
}: {
  enrolment: PendingEnrolment;
  intro?: ReactNode;
  footer?: ReactNode;
  onEnrolled: (done: EnrolmentDone) => void;
}) {
  const [error, setError] = useState<{ message: string; field?: string }>();
  const [pending, startTransition] = useTransition();
  const [copied, setCopied] = useState(false);
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus(); // a new screen: move focus so screen readers announce it
  }, []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    startTransition(async () => {
      const result = await confirmEnrolmentAction({ ticket: enrolment.ticket, code });
      if (result.ok) onEnrolled(result.data);
      else setError({ message: result.message, field: result.fieldErrors?.code });
    });
  }

  async function copyKey() {
    await navigator.clipboard.writeText(enrolment.key.replace(/\s+/g, ""));
    setCopied(true);
  }

  return (
    <form onSubmit={submit} className="space-y-5" noValidate aria-labelledby={headingId} data-wide>
      <div className="flex items-start gap-3">
        <Smartphone aria-hidden="true" className="mt-0.5 h-5 w-5 shrink-0 text-indigo-600 dark:text-indigo-400" />
        <div>
          <h2 id={headingId} ref={heading} tabIndex={-1} className="text-lg font-semibold outline-none">
            Set up your authenticator app
          </h2>
          <div className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {intro ?? (
              <p>
                Every sign-in needs a code from an authenticator app (for example Google Authenticator, Microsoft
                Authenticator, 1Password or Aegis). Set it up now for <strong>{enrolment.account}</strong>.
              </p>
            )}
          </div>
        </div>
      </div>

      <ol className="space-y-5 text-sm">
        <li className="space-y-3">
          <StepLabel n={1}>Scan this QR code with the app.</StepLabel>
          <div className="flex justify-center">
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL rendered on the server */}
            <img
              src={enrolment.qrDataUrl}
              alt={`QR code to add Ops Portal (${enrolment.account}) to an authenticator app`}
              width={176}
              height={176}
              className="rounded-lg bg-white p-2 ring-1 ring-slate-200 dark:ring-slate-700"
            />
          </div>
        </li>
        <li className="space-y-2">
          <StepLabel n={2}>Can’t scan it? Enter this key in the app instead.</StepLabel>
          <div className="flex items-stretch gap-2">
            <code
              aria-label="Setup key"
              className="flex-1 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-[0.95rem] leading-relaxed tracking-wider break-words text-slate-900 select-all dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
            >
              {enrolment.key}
            </code>
            <Button variant="secondary" onClick={copyKey} aria-label="Copy setup key" className="shrink-0 px-3">
              {copied ? <Check aria-hidden="true" className="h-4 w-4" /> : <Copy aria-hidden="true" className="h-4 w-4" />}
            </Button>
          </div>
          <p className="text-xs text-slate-500 dark:text-slate-400">Time-based, 6 digits, every 30 seconds.</p>
          <span role="status" className="sr-only">
            {copied ? "Setup key copied to the clipboard." : ""}
          </span>
        </li>
        <li className="space-y-2">
          <StepLabel n={3}>Enter the 6-digit code the app now shows.</StepLabel>
          {error ? <Alert>{error.message}</Alert> : null}
          <Field
            id="enrolment-code"
            name="code"
            label="Code from the app"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={7}
            required
            error={error?.field ? " " : undefined}
            className="font-mono text-lg tracking-[0.3em]"
          />
        </li>
      </ol>

      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Checking…" : "Confirm and continue"}
      </Button>
      {footer}
    </form>
  );
}

function StepLabel({ n, children }: { n: number; children: ReactNode }) {
  return (
    <p className="flex items-center gap-2 font-medium text-slate-800 dark:text-slate-200">
      <span
        aria-hidden="true"
        className="inline-flex h-5 w-5 shrink-0 items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700 dark:bg-indigo-500/20 dark:text-indigo-300"
      >
        {n}
      </span>
      {children}
    </p>
  );
}
