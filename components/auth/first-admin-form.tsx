"use client";

import { useState, useTransition, type FormEvent } from "react";
import { beginFirstAdminAction } from "@/app/setup/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { PendingEnrolment } from "@/lib/auth/enrolment";
import type { FieldErrors } from "@/lib/validation/parse";
import { EnrolmentFlow } from "./enrolment-flow";
import { PASSWORD_HINT } from "./password-hint";

/**
 * First run: the holder of the logged setup token creates the first administrator, then enrols an
 * authenticator. `token` is given when they arrived through the link itself.
 */
export function FirstAdminForm({ token }: { token?: string }) {
  const [enrolment, setEnrolment] = useState<PendingEnrolment>();
  const [error, setError] = useState<{ message: string; fields?: FieldErrors }>();
  const [pending, startTransition] = useTransition();

  if (enrolment) {
    return (
      <EnrolmentFlow
        enrolment={enrolment}
        intro={
          <p>
            Last step: administrators, like everyone, sign in with a code from an authenticator app. Set one up for{" "}
            <strong>{enrolment.account}</strong>. The account is created when you confirm the first code.
          </p>
        }
      />
    );
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await beginFirstAdminAction({
        token: token ?? form.get("token"),
        name: form.get("name"),
        email: form.get("email"),
        password: form.get("password"),
        confirmPassword: form.get("confirmPassword"),
      });
      if (result.ok) setEnrolment(result.data);
      else setError({ message: result.message, fields: result.fieldErrors });
    });
  }

  return (
    <form onSubmit={submit} className="space-y-5" noValidate aria-labelledby="first-admin-heading">
      <div>
        <h2 id="first-admin-heading" className="text-lg font-semibold">
          Create the first administrator
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          No one has an account yet. The administrator you create here can then invite everyone else.
        </p>
      </div>
      {error ? <Alert>{error.message}</Alert> : null}
      {token ? null : (
        <Field
          id="token"
          name="token"
          label="Setup token"
          autoComplete="off"
          spellCheck={false}
          required
          hint="The server printed a one-time setup link when it started; paste the part after /setup/. Each start prints a new one."
          error={error?.fields?.token}
          className="font-mono"
        />
      )}
      <Field id="name" name="name" label="Your name" autoComplete="name" required error={error?.fields?.name} />
      <Field
        id="email"
        name="email"
        type="email"
        label="Email"
        autoComplete="username"
        required
        error={error?.fields?.email}
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
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
