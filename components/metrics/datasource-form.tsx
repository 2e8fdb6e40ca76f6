"use client";

import { CircleCheck, TriangleAlert } from "lucide-react";
import { useRef, useState, useTransition, type FormEvent } from "react";
import { saveDatasourceAction, testDatasourceAction } from "@/app/(portal)/admin/prometheus/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import type { ActionResult } from "@/lib/actions/define-action";
import type { AuthKind, ConnectionTest, DatasourceView } from "@/lib/metrics/datasource";

const AUTH_OPTIONS: { value: AuthKind; label: string }[] = [
  { value: "none", label: "None" },
  { value: "basic", label: "Basic auth (user name and password)" },
  { value: "bearer", label: "Bearer token" },
];

/** The Prometheus data source: address, sign-in, timeout; "Test connection" asks for its version. */
export function DatasourceForm({ view }: { view: DatasourceView | null }) {
  const [auth, setAuth] = useState<AuthKind>(view?.auth ?? "none");
  const save = useGuardedAction(saveDatasourceAction);
  const [test, setTest] = useState<ActionResult<ConnectionTest> | null>(null);
  const [testing, startTest] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const errors = save.result && !save.result.ok ? (save.result.fieldErrors ?? {}) : test && !test.ok ? (test.fieldErrors ?? {}) : {};
  const storedSecret = view?.hasSecret && view.auth === auth;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.pending) return;
    setTest(null);
    save.run(new FormData(event.currentTarget));
  }

  function runTest() {
    if (!form.current) return;
    const data = new FormData(form.current);
    save.reset();
    startTest(async () => setTest(await testDatasourceAction(data)));
  }

  const saved = save.result?.ok ? (save.result.data.changed.length ? "Data source saved. Panels use it from their next refresh." : "Nothing changed.") : undefined;

  return (
    <form ref={form} aria-label="Prometheus data source" onSubmit={submit} noValidate className="space-y-4 p-4">
      <ActionStatus result={save.result} success={saved} />
      <div className="grid gap-4 md:grid-cols-2">
        <div className="md:col-span-2">
          <Field
            id="prom-url"
            name="url"
            label="Prometheus URL"
            type="url"
            required
            defaultValue={view?.url ?? ""}
            placeholder="http://prometheus.internal:9090"
            error={errors.url}
            hint="The server's base address; the portal calls /api/v1/query_range under it. Only the portal's server connects to it, never the browser."
            className="font-mono"
            spellCheck={false}
          />
        </div>
        <SelectField id="prom-auth" name="auth" label="Authentication" value={auth} onChange={(e) => setAuth(e.target.value as AuthKind)} options={AUTH_OPTIONS} error={errors.auth} />
        {auth === "basic" ? (
          <Field id="prom-username" name="username" label="User name" autoComplete="off" defaultValue={view?.username ?? ""} error={errors.username} />
        ) : (
          <div aria-hidden="true" className="hidden md:block" />
        )}
        {auth !== "none" ? (
          <Field
            id="prom-secret"
            name="secret"
            type="password"
            autoComplete="new-password"
            label={auth === "basic" ? "Password" : "Bearer token"}
            error={errors.secret}
            hint={storedSecret ? "One is stored (sealed, never shown). Leave blank to keep it." : "Stored encrypted with the portal's key; never shown again."}
          />
        ) : null}
        <Field
          id="prom-timeout"
          name="timeoutMs"
          type="number"
          inputMode="numeric"
          min={500}
          max={120000}
          label="Timeout (ms)"
          defaultValue={view?.timeoutMs ?? 10000}
          error={errors.timeoutMs}
          hint="A query that takes longer is abandoned and the panel says so."
        />
        <Field
          id="prom-scrape"
          name="scrapeIntervalS"
          type="number"
          inputMode="numeric"
          min={1}
          max={3600}
          label="Scrape interval (seconds)"
          defaultValue={view?.scrapeIntervalS ?? 15}
          error={errors.scrapeIntervalS}
          hint="Prometheus' scrape_interval: rate() windows span at least four scrapes."
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={save.pending}>
          {save.pending ? "Saving…" : "Save data source"}
        </Button>
        <Button variant="secondary" onClick={runTest} disabled={testing}>
          {testing ? "Testing…" : "Test connection"}
        </Button>
        <p className="text-xs text-slate-500 dark:text-slate-400">Saving asks for an authenticator code and is audited (without the secret).</p>
      </div>
      {test ? (
        test.ok ? (
          test.data.ok ? (
            <p role="status" className="flex items-start gap-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-100">
              <CircleCheck aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
              Connected to Prometheus {test.data.version} at {test.data.url} ({test.data.ms} ms).
            </p>
          ) : (
            <div role="alert" className="flex items-start gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
              <TriangleAlert aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
              Connection failed: {test.data.message}
            </div>
          )
        ) : (
          <Alert>{test.message}</Alert>
        )
      ) : null}
      {save.stepUpDialog}
    </form>
  );
}
