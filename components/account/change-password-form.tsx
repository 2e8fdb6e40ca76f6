"use client";

import { useEffect, useRef } from "react";
import { changePasswordAction } from "@/app/(portal)/account/security/actions";
import { PASSWORD_HINT } from "@/components/auth/password-hint";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function ChangePasswordForm({ email }: { email: string }) {
  const { run, result, pending, stepUpDialog } = useGuardedAction(changePasswordAction);
  const form = useRef<HTMLFormElement>(null);
  const errors = result && !result.ok ? result.fieldErrors : undefined;

  useEffect(() => {
    if (result?.ok) form.current?.reset(); // a changed password should not linger in the fields
  }, [result]);

  return (
    <form
      ref={form}
      aria-label="Change password"
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        run(new FormData(event.currentTarget));
      }}
    >
      {result?.ok ? (
        <Alert tone="info">
          Password changed.{" "}
          {result.data.otherSessionsEnded === 0
            ? "You had no other sessions."
            : `${result.data.otherSessionsEnded} other session${result.data.otherSessionsEnded === 1 ? " was" : "s were"} signed out.`}
        </Alert>
      ) : null}
      {result && !result.ok ? <Alert>{result.message}</Alert> : null}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field
        id="currentPassword"
        name="currentPassword"
        type="password"
        label="Current password"
        autoComplete="current-password"
        required
        error={errors?.currentPassword}
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="New password"
        autoComplete="new-password"
        required
        hint={PASSWORD_HINT}
        error={errors?.password}
      />
      <Field
        id="confirmPassword"
        name="confirmPassword"
        type="password"
        label="Repeat the new password"
        autoComplete="new-password"
        required
        error={errors?.confirmPassword}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Change password"}
      </Button>
      {stepUpDialog}
    </form>
  );
}
