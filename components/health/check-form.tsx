"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { createCheckAction, testCheckAction, updateCheckAction } from "@/app/(portal)/health/[serviceId]/checks/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import type { CheckConfig, CheckKind } from "@/lib/health/check-schemas";
import { TestNowResultView } from "./test-now-result";

export type CheckFormValues = CheckConfig & { id: string; revision: number };

const KIND_OPTIONS = [
  { value: "HTTP", label: "HTTP(S): request a URL" },
  { value: "TCP", label: "TCP: open a connection" },
];
const METHOD_OPTIONS = ["GET", "HEAD", "POST"].map((m) => ({ value: m, label: m }));

/** One form for a new check and for editing one; the fields shown follow the kind chosen. */
export function CheckForm({
  serviceId,
  serviceName,
  check,
  minIntervalSeconds,
}: {
  serviceId: string;
  serviceName: string;
  check: CheckFormValues | null;
  minIntervalSeconds: number;
}) {
  const [kind, setKind] = useState<CheckKind>(check?.kind ?? "HTTP");
  const save = useGuardedAction(check ? updateCheckAction : createCheckAction);
  const test = useGuardedAction(testCheckAction);
  const formRef = useRef<HTMLFormElement>(null);
  const router = useRouter();
  const list = `/health/${serviceId}/checks`;
  const saved = save.result?.ok === true;
  useEffect(() => {
    if (saved) router.push(list);
  }, [saved, router, list]);
  // A save's field errors win; a test's show when there is no save error yet.
  const saveErrors = save.result && !save.result.ok ? (save.result.fieldErrors ?? {}) : {};
  const testErrors = test.result && !test.result.ok ? (test.result.fieldErrors ?? {}) : {};
  const errors = { ...testErrors, ...saveErrors };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.pending) return;
    save.run(new FormData(event.currentTarget));
  }

  function runTest() {
    if (!formRef.current || test.pending) return;
    save.reset();
    test.run(new FormData(formRef.current));
  }

  const section = "space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900";
  const legend = "float-left w-full text-sm font-semibold";
  return (
    <form ref={formRef} aria-label={check ? `Edit check ${check.name}` : `New check for ${serviceName}`} onSubmit={submit} noValidate className="space-y-5">
      {check ? (
        <>
          <input type="hidden" name="checkId" value={check.id} />
          <input type="hidden" name="revision" value={check.revision} />
        </>
      ) : (
        <input type="hidden" name="serviceId" value={serviceId} />
      )}
      <ActionStatus result={save.result} success="Saved. Back to the checks…" />

      <fieldset className={section}>
        <legend className={legend}>What to check</legend>
        <div className="clear-both grid gap-4 md:grid-cols-2">
          <Field id="check-name" name="name" label="Name" required maxLength={100} defaultValue={check?.name} error={errors.name} hint="Unique within this service, e.g. Public API /health." />
          <SelectField id="check-kind" name="kind" label="Kind" value={kind} onChange={(e) => setKind(e.target.value as CheckKind)} options={KIND_OPTIONS} error={errors.kind} />
        </div>
        {kind === "HTTP" ? (
          <div key="http" className="grid gap-4 md:grid-cols-6">
            <div className="md:col-span-5">
              <Field id="check-url" name="url" label="URL" type="url" required defaultValue={check?.url} error={errors.url} className="font-mono" spellCheck={false} hint="http:// or https://, e.g. https://payments.internal/health" />
            </div>
            <SelectField id="check-method" name="method" label="Method" defaultValue={check?.method ?? "GET"} options={METHOD_OPTIONS} error={errors.method} />
            <div className="md:col-span-2">
              <Field id="check-status-min" name="expectedStatusMin" label="Lowest expected status" type="number" min={100} max={599} defaultValue={check?.expectedStatusMin ?? 200} error={errors.expectedStatusMin} />
            </div>
            <div className="md:col-span-2">
              <Field id="check-status-max" name="expectedStatusMax" label="Highest expected status" type="number" min={100} max={599} defaultValue={check?.expectedStatusMax ?? 399} error={errors.expectedStatusMax} hint="Any status in the range counts as up." />
            </div>
            <div className="md:col-span-2">
              <Field id="check-tls-days" name="tlsExpiryWarnDays" label="Certificate warning (days)" type="number" min={0} max={365} defaultValue={check?.tlsExpiryWarnDays ?? 14} error={errors.tlsExpiryWarnDays} hint="HTTPS: warn this long before it expires; 0 = never." />
            </div>
            <div className="md:col-span-4">
              <Field id="check-keyword" name="keyword" label="Keyword (optional)" maxLength={200} defaultValue={check?.keyword} error={errors.keyword} hint="The response body must contain this text. Leave empty not to check." />
            </div>
            <div className="flex items-start gap-2 md:col-span-2 md:pt-7">
              <input
                id="check-ignore-tls"
                name="ignoreTlsErrors"
                type="checkbox"
                defaultChecked={check?.ignoreTlsErrors ?? false}
                aria-describedby="check-ignore-tls-hint"
                className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500 dark:border-slate-600 dark:bg-slate-900"
              />
              <div>
                <label htmlFor="check-ignore-tls" className="text-sm font-medium text-slate-700 dark:text-slate-200">
                  Ignore certificate errors
                </label>
                <p id="check-ignore-tls-hint" className="text-xs text-slate-500 dark:text-slate-400">
                  Self-signed or internal CAs; the expiry is still read.
                </p>
              </div>
            </div>
          </div>
        ) : (
          <div key="tcp" className="grid gap-4 md:grid-cols-3">
            <div className="md:col-span-2">
              <Field id="check-host" name="host" label="Host" required defaultValue={check?.host} error={errors.host} className="font-mono" spellCheck={false} hint="A host name or IP address, e.g. db.internal" />
            </div>
            <Field id="check-port" name="port" label="Port" type="number" required min={1} max={65535} defaultValue={check?.port || undefined} error={errors.port} />
          </div>
        )}
      </fieldset>

      <fieldset className={section}>
        <legend className={legend}>Schedule</legend>
        <div className="clear-both grid gap-4 md:grid-cols-3">
          <Field id="check-interval" name="intervalSeconds" label="Interval (seconds)" type="number" min={minIntervalSeconds} max={86400} defaultValue={check?.intervalSeconds ?? 60} error={errors.intervalSeconds} hint={`How often to probe: ${minIntervalSeconds} s to 1 day.`} />
          <Field id="check-timeout" name="timeoutMs" label="Timeout (ms)" type="number" min={100} max={60000} defaultValue={check?.timeoutMs ?? 5000} error={errors.timeoutMs} hint="100 ms to 60 s, and no longer than the interval." />
          <Field id="check-retries" name="retries" label="Retries before down" type="number" min={0} max={10} defaultValue={check?.retries ?? 1} error={errors.retries} hint="Failures in a row after the first before it counts as down (0-10)." />
        </div>
      </fieldset>

      <section aria-label="Test now" className={section}>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div>
            <h2 className="text-sm font-semibold">Test now</h2>
            <p className="text-xs text-slate-500 dark:text-slate-400">Probes once with the values above, saved or not. Nothing is stored.</p>
          </div>
          <Button variant="secondary" onClick={runTest} disabled={test.pending}>
            {test.pending ? "Testing…" : "Test now"}
          </Button>
        </div>
        <div role="status" aria-live="polite" aria-label="Test result" aria-busy={test.pending}>
          {test.pending ? <p className="text-sm text-slate-600 dark:text-slate-300">Probing…</p> : null}
          {!test.pending && test.result?.ok ? <TestNowResultView result={test.result.data} /> : null}
        </div>
        {!test.pending && test.result && !test.result.ok ? <Alert>{test.result.message}</Alert> : null}
      </section>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={save.pending}>
          {save.pending ? "Saving…" : check ? "Save changes" : "Add check"}
        </Button>
        <Link href={list} className="text-sm font-medium text-slate-700 hover:underline dark:text-slate-200">
          Cancel
        </Link>
        <p className="text-xs text-slate-500 dark:text-slate-400">The change is audited; the scheduler picks it up at once.</p>
      </div>
      {save.stepUpDialog}
      {test.stepUpDialog}
    </form>
  );
}
