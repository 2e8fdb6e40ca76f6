"use client";

import { Check, Copy, KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { createApiTokenAction } from "@/app/(portal)/account/tokens/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS } from "@/lib/api-tokens/schemas";

const selectClass =
  "block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm outline-none transition focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:bg-slate-900";

/** Name, role (only roles no higher than yours are offered; the server checks again) and expiry. */
export function CreateTokenForm({ roles }: { roles: { value: string; label: string }[] }) {
  const { run, result, pending, reset, stepUpDialog } = useGuardedAction(createApiTokenAction);
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (result?.ok) {
      form.current?.reset();
      router.refresh();
    }
  }, [result, router]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    run(new FormData(event.currentTarget));
  }

  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const created = result?.ok ? result.data : null;

  return (
    <div className="space-y-4 p-4">
      {created ? <NewToken token={created.token} name={created.name} onDone={reset} /> : null}
      <form ref={form} onSubmit={submit} noValidate aria-label="Create an API token" className="space-y-4">
        {result && !result.ok ? <Alert>{result.message}</Alert> : null}
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="token-name" name="name" label="Name" placeholder="e.g. CI deploy pipeline" maxLength={80} required error={errors?.name} />
          <div className="space-y-1.5">
            <label htmlFor="token-role" className="block text-sm font-medium text-slate-700 dark:text-slate-200">
              Role
            </label>
            <select
              id="token-role"
              name="role"
              defaultValue={roles[roles.length - 1]?.value}
              aria-invalid={errors?.role ? true : undefined}
              aria-describedby={errors?.role ? "token-role-error" : "token-role-hint"}
              className={`${selectClass} ${errors?.role ? "border-red-500" : "border-slate-300 dark:border-slate-700"}`}
            >
              {roles.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
            {errors?.role ? (
              <p id="token-role-error" className="text-xs font-medium text-red-600 dark:text-red-400">
                {errors.role}
              </p>
            ) : (
              <p id="token-role-hint" className="text-xs text-slate-500 dark:text-slate-400">
                What the token may do; never more than your role.
              </p>
            )}
          </div>
          <Field
            id="token-expiry"
            name="expiresInDays"
            label="Expires after (days)"
            type="number"
            inputMode="numeric"
            min={1}
            max={API_TOKEN_MAX_DAYS}
            defaultValue={API_TOKEN_DEFAULT_DAYS}
            hint={`1 to ${API_TOKEN_MAX_DAYS} days`}
            error={errors?.expiresInDays}
          />
        </div>
        <Button type="submit" disabled={pending}>
          <KeyRound aria-hidden="true" className="h-4 w-4" />
          {pending ? "Creating…" : "Create token"}
        </Button>
      </form>
      {stepUpDialog}
    </div>
  );
}

/** The token, once: it is stored only as a hash, so this is the only chance to copy it. */
function NewToken({ token, name, onDone }: { token: string; name: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(token);
    setCopied(true);
  }
  return (
    <section
      aria-labelledby="new-token-heading"
      className="rounded-lg border border-emerald-200 bg-emerald-50 p-4 dark:border-emerald-900 dark:bg-emerald-950/40"
    >
      <h3 id="new-token-heading" className="font-semibold text-emerald-900 dark:text-emerald-100">
        Token “{name}” created
      </h3>
      <p role="status" className="mt-1 text-sm text-emerald-800 dark:text-emerald-200">
        Copy it now: it will not be shown again. Send it as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        <label htmlFor="new-token" className="sr-only">
          New API token
        </label>
        <input
          id="new-token"
          readOnly
          value={token}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-sm text-slate-900 dark:border-emerald-800 dark:bg-slate-950 dark:text-slate-100"
        />
        <div className="flex gap-2">
          <Button variant="secondary" onClick={copy}>
            {copied ? <Check aria-hidden="true" className="h-4 w-4" /> : <Copy aria-hidden="true" className="h-4 w-4" />}
            {copied ? "Copied" : "Copy"}
          </Button>
          <Button variant="ghost" onClick={onDone}>
            Done
          </Button>
        </div>
      </div>
    </section>
  );
}
