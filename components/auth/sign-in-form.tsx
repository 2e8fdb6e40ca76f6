"use client";

import { signIn } from "next-auth/react";
import { useActionState, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { passwordStep, type PasswordStepState } from "@/app/sign-in/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { EnrolmentFlow } from "./enrolment-flow";

/**
 * Two steps, one screen: the password earns a short-lived ticket, then the authenticator code (or
 * a one-time recovery code) turns the ticket into a session. An account without an authenticator
 * enrols in between. No session exists until both factors have passed.
 */
export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, submitPassword, checkingPassword] = useActionState<PasswordStepState, FormData>(
    passwordStep,
    {},
  );
  // "Use a different account" sets aside the current answer; the next one from the server replaces it.
  const [dismissed, setDismissed] = useState<PasswordStepState | null>(null);
  const current = state === dismissed ? {} : state;

  const differentAccount = (
    <button
      type="button"
      onClick={() => setDismissed(state)}
      className="w-full text-center text-sm text-slate-600 underline-offset-4 hover:underline dark:text-slate-400"
    >
      Use a different account
    </button>
  );

  if (current.enrolment) {
    return (
      <EnrolmentFlow
        enrolment={current.enrolment}
        callbackUrl={callbackUrl}
        intro={
          <p>
            Your password is correct. Ops Portal requires an authenticator app for every account, so set one up for{" "}
            <strong>{current.email}</strong> before you continue.
          </p>
        }
        footer={differentAccount}
      />
    );
  }
  if (current.ticket) {
    return <CodeStep ticket={current.ticket} email={current.email ?? ""} callbackUrl={callbackUrl} footer={differentAccount} />;
  }

  return (
    <form action={submitPassword} className="space-y-5"
      noValidate
      aria-label="Sign in"
    >
      {current.error ? <Alert>{current.error}</Alert> : null}
      <Field
        id="email"
        name="email"
        type="email"
        label="Email"
        autoComplete="username"
        required
        defaultValue={current.email}
        error={current.fieldErrors?.email}
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="current-password"
        required
        error={current.fieldErrors?.password}
      />
      <Button type="submit" className="w-full" disabled={checkingPassword}>
        {checkingPassword ? "Checking…" : "Continue"}
      </Button>
    </form>
  );
}

function CodeStep({
  ticket,
  email,
  callbackUrl,
  footer,
}: {
  ticket: string;
  email: string;
  callbackUrl: string;
  footer: ReactNode;
}) {
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<string>();
  const [verifying, setVerifying] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, [useRecovery]);

  function switchMethod() {
    setError(undefined);
    setUseRecovery((r) => !r);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("code") ?? "");
    if (useRecovery ? value.replace(/[\s-]+/g, "").length !== 10 : !/^\d{6}$/.test(value.replace(/\s+/g, ""))) {
      setError(
        useRecovery
          ? "Enter one of your recovery codes: 10 letters and digits, like ABCDE-FGHJK."
          : "Enter the 6-digit code from your authenticator app.",
      );
      return;
    }
    setVerifying(true);
    setError(undefined);
    const result = await signIn("totp", {
      ticket,
      ...(useRecovery ? { recoveryCode: value } : { code: value }),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setVerifying(false);
    setError(result?.error ?? "Sign-in failed. Try again.");
  }

  const heading = useRecovery ? "Enter a recovery code" : "Enter your authenticator code";
  return (
    <form onSubmit={submit} className="space-y-5" noValidate aria-labelledby="code-heading">
      <div>
        <h2 id="code-heading" className="text-lg font-semibold">
          {heading}
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Signing in as <strong>{email}</strong>.{" "}
          {useRecovery
            ? "Each recovery code works once; after using one, consider making new codes on your account page."
            : "Open your authenticator app and enter the current 6-digit code."}
        </p>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {useRecovery ? (
        <Field
          key="recovery"
          ref={input}
          id="recovery-code"
          name="code"
          label="Recovery code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={16}
          required
          error={error ? " " : undefined}
          className="font-mono text-lg uppercase tracking-[0.15em]"
        />
      ) : (
        <Field
          key="totp"
          ref={input}
          id="code"
          name="code"
          label="Authentication code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={7}
          required
          error={error ? " " : undefined}
          className="font-mono text-lg tracking-[0.3em]"
        />
      )}
      <Button type="submit" className="w-full" disabled={verifying}>
        {verifying ? "Verifying…" : "Verify and sign in"}
      </Button>
      <div className="space-y-2">
        <button
          type="button"
          onClick={switchMethod}
          className="w-full text-center text-sm font-medium text-indigo-700 underline-offset-4 hover:underline dark:text-indigo-300"
        >
          {useRecovery ? "Use your authenticator app instead" : "Use a recovery code instead"}
        </button>
        {footer}
      </div>
    </form>
  );
}
