"use client";

import { signIn } from "next-auth/react";
import { useActionState, useEffect, useRef, useState, type FormEvent } from "react";
import { passwordStep, type PasswordStepState } from "@/app/sign-in/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/**
 * Two steps, one screen: the password earns a short-lived ticket, then the authenticator code
 * turns the ticket into a session. No session exists until both have passed.
 */
export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, submitPassword, checkingPassword] = useActionState<PasswordStepState, FormData>(
    passwordStep,
    {},
  );
  const [codeError, setCodeError] = useState<string>();
  const [verifying, setVerifying] = useState(false);
  const [restart, setRestart] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const ticket = restart ? undefined : state.ticket;

  useEffect(() => {
    if (ticket) codeInput.current?.focus();
  }, [ticket]);

  async function submitCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").replace(/\s+/g, "");
    if (!/^\d{6}$/.test(code)) {
      setCodeError("Enter the 6-digit code from your authenticator app.");
      return;
    }
    setVerifying(true);
    setCodeError(undefined);
    const result = await signIn("totp", { ticket, code, redirect: false });
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setVerifying(false);
    setCodeError(result?.error ?? "Sign-in failed. Try again.");
  }

  if (ticket) {
    return (
      <form onSubmit={submitCode} className="space-y-5" noValidate aria-labelledby="code-heading">
        <div>
          <h2 id="code-heading" className="text-lg font-semibold">
            Enter your authenticator code
          </h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            Signing in as <strong>{state.email}</strong>. Open your authenticator app and enter the current
            6-digit code.
          </p>
        </div>
        {codeError ? <Alert>{codeError}</Alert> : null}
        <Field
          ref={codeInput}
          id="code"
          name="code"
          label="Authentication code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={7}
          required
          error={codeError ? " " : undefined}
          className="font-mono text-lg tracking-[0.3em]"
        />
        <Button type="submit" className="w-full" disabled={verifying}>
          {verifying ? "Verifying…" : "Verify and sign in"}
        </Button>
        <button
          type="button"
          onClick={() => setRestart(true)}
          className="w-full text-center text-sm text-slate-600 underline-offset-4 hover:underline dark:text-slate-400"
        >
          Use a different account
        </button>
      </form>
    );
  }

  return (
    <form
      action={(form) => {
        setRestart(false);
        submitPassword(form);
      }}
      className="space-y-5"
      noValidate
      aria-label="Sign in"
    >
      {state.error ? <Alert>{state.error}</Alert> : null}
      <Field
        id="email"
        name="email"
        type="email"
        label="Email"
        autoComplete="username"
        required
        defaultValue={state.email}
        error={state.fieldErrors?.email}
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="current-password"
        required
        error={state.fieldErrors?.password}
      />
      <Button type="submit" className="w-full" disabled={checkingPassword}>
        {checkingPassword ? "Checking…" : "Continue"}
      </Button>
    </form>
  );
}
