"use client";

import { ShieldCheck } from "lucide-react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import Link from "next/link";
import { createPortal } from "react-dom";
import { stepUpAction } from "@/app/(portal)/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/** A modal that asks for a fresh authenticator code before a sensitive action goes ahead. */
export function StepUpDialog({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  // `attempt` remounts the alert on every answer, so a repeated message is announced again.
  const [error, setError] = useState<{ message: string; attempt: number }>();
  const [signedOut, setSignedOut] = useState(false);
  const [busy, setBusy] = useState(false);

  const signInLink = useRef<HTMLAnchorElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  // The code field is gone once signed out: focus moves to "Sign in again", not to <body>.
  useEffect(() => {
    if (signedOut) signInLink.current?.focus();
  }, [signedOut]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // React bubbles a submit through the component tree, portals included: an action form that
    // renders this dialog must not see it as its own submission.
    event.stopPropagation();
    setBusy(true);
    const code = String(new FormData(event.currentTarget).get("step-up-code") ?? "");
    const result = await stepUpAction(code);
    setBusy(false);
    if (result.ok) return onConfirmed();
    setError((previous) => ({ message: result.message, attempt: (previous?.attempt ?? 0) + 1 }));
    // Too many wrong codes ended every session: there is nothing left to confirm here.
    if (result.signedOut) setSignedOut(true);
  }

  // In <body>, so the dialog's form is never nested inside the form that asked for it.
  // m-auto: Tailwind's reset removes the margins that centre a modal dialog.
  return createPortal(
    <dialog
      ref={dialog}
      aria-labelledby="step-up-title"
      onCancel={onCancel}
      className="m-auto w-[calc(100%-2rem)] max-w-sm rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <form onSubmit={submit} className="space-y-4 p-6" noValidate>
        <div className="flex items-start gap-3">
          <ShieldCheck aria-hidden="true" className="mt-0.5 h-5 w-5 shrink-0 text-indigo-600" />
          <div>
            <h2 id="step-up-title" className="font-semibold">
              Confirm it is you
            </h2>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              This action needs a current code from your authenticator app.
            </p>
          </div>
        </div>
        {error ? <Alert key={error.attempt}>{error.message}</Alert> : null}
        {signedOut ? (
          <div className="flex justify-end">
            <Link
              ref={signInLink}
              href="/sign-in"
              className="inline-flex items-center justify-center rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
            >
              Sign in again
            </Link>
          </div>
        ) : (
          <>
            <Field
              id="step-up-code"
              name="step-up-code"
              label="Authentication code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              autoFocus
              required
              className="font-mono tracking-[0.3em]"
            />
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={onCancel}>
                Cancel
              </Button>
              <Button type="submit" disabled={busy}>
                {busy ? "Checking…" : "Confirm"}
              </Button>
            </div>
          </>
        )}
      </form>
    </dialog>,
    document.body,
  );
}
