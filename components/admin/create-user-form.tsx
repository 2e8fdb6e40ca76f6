"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { createUserAction } from "@/app/(portal)/admin/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import type { Role } from "@/lib/rbac/permissions";
import { ROLE_DESCRIPTIONS, ROLE_OPTIONS } from "./role-descriptions";
import { SetupLinkPanel } from "./setup-link-panel";

export function CreateUserForm() {
  const { run, result, pending, stepUpDialog, reset } = useGuardedAction(createUserAction);
  const [role, setRole] = useState<Role>("VIEWER");

  if (result?.ok) {
    const { name, email, setupLink, expiresAt, userId } = result.data;
    return (
      <div className="space-y-4 p-4 sm:p-6">
        <SetupLinkPanel name={name} email={email} link={setupLink} expiresAt={expiresAt} />
        <div className="flex flex-wrap gap-2">
          <Link
            href={`/admin/users/${userId}`}
            className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
          >
            Open {name}
          </Link>
          <Button variant="ghost" onClick={reset}>
            Add another user
          </Button>
        </div>
      </div>
    );
  }

  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    run(new FormData(event.currentTarget));
  }

  return (
    <>
      <form aria-label="Add a user" onSubmit={submit} noValidate className="space-y-5 p-4 sm:p-6">
        <ActionStatus result={result} />
        <div className="grid gap-5 sm:grid-cols-2">
          <Field id="email" name="email" type="email" label="Email" autoComplete="off" required error={errors.email} />
          <Field id="name" name="name" label="Full name" autoComplete="off" required error={errors.name} />
        </div>
        <SelectField
          id="role"
          name="role"
          label="Role"
          options={ROLE_OPTIONS}
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          hint={ROLE_DESCRIPTIONS[role]}
          error={errors.role}
          className="sm:max-w-xs"
        />
        <p className="text-sm text-slate-600 dark:text-slate-400">
          The new user gets no password. You receive a one-time link (valid 72 hours) with which they choose a password
          and set up their authenticator app.
        </p>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create user"}
          </Button>
          <Link
            href="/admin"
            className="inline-flex items-center rounded-md px-3.5 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            Cancel
          </Link>
        </div>
      </form>
      {/* Outside the form: a form inside a form is invalid, and React would bubble its submit. */}
      {stepUpDialog}
    </>
  );
}
