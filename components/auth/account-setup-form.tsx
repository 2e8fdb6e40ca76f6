"use client";

import { useState, useTransition, type FormEvent } from "react";
import { beginAccountSetupAction } from "@/app/setup/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { PendingEnrolment } from "@/lib/auth/enrolment";
import type { FieldErrors } from "@/lib/validation/parse";
import { EnrolmentFlow } from "./enrolment-flow";
import { PASSWORD_HINT } from "./password-hint";

/** A setup link's two steps: choose a password, then enrol an authenticator (and save codes). */
export function AccountSetupForm({ token, name, email }: { token: string; name: string; email: string }) {
  const [enrolment, setEnrolment] = useState<PendingEnrolment>();
  const [error, setError] = useState<{ message: string; fields?: FieldErrors }>();
  const [pending, startTransition] = useTransition();

  if (enrolment) {
    return (
      <EnrolmentFlow
        enrolment={enrolment}
        intro={
          <p>
            Good password. Last step: every sign-in also needs a code from an authenticator app. Set one up for{" "}
            <strong>{email}</strong>; your account is ready when you confirm its first code.
          </p>
        }
      />
    );
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await beginAccountSetupAction({
        token,
        password: form.get("password"),
        confirmPassword: form.get("confirmPassword"),
      });
      if (result.ok) setEnrolment(result.data);
      else setError({ message: result.message, fields: result.fieldErrors });
    });
  }

  return (
    <form onSubmit={submit} className="space-y-5" noValidate aria-labelledby="setup-heading">
      <div>
        <h2 id="setup-heading" className="text-lg font-semibold">
          Welcome, {name}
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Choose a password for <strong>{email}</strong>. Next you will set up an authenticator app.
        </p>
      </div>
      {error ? <Alert>{error.message}</Alert> : null}
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field
        id="password"
        name="password"
        type="password"
        label="New password"
        autoComplete="new-password"
        required
        hint={PASSWORD_HINT}
        error={error?.fields?.password}
      />
      <Field
        id="confirmPassword"
        name="confirmPassword"
        type="password"
        label="Repeat the password"
        autoComplete="new-password"
        required
        error={error?.fields?.confirmPassword}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Checking…" : "Continue"}
      </Button>
    </form>
  );
}
