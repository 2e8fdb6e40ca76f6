"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { saveDeploymentTargetAction } from "@/app/(portal)/deployments/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { TextAreaField } from "@/components/ui/text-area-field";

type Driver = "COMMAND" | "NGINX" | "WEBHOOK";

const DRIVER_NAMES: Record<Driver, string> = { COMMAND: "Command", NGINX: "Nginx", WEBHOOK: "Webhook" };

type DriverField = { name: string; label: string; hint?: string; multiline?: boolean; optional?: boolean; type?: "number" | "url" | "text" };

/** Each driver's own settings (lib/deployments/drivers/*.ts validates them with the same names). */
const DRIVER_FIELDS: Record<Driver, { description: string; fields: DriverField[] }> = {
  COMMAND: {
    description:
      "Runs shell commands on the portal host, with OPS_SERVICE, OPS_ENVIRONMENT, OPS_VERSION, OPS_COLOUR and OPS_URL set (kubectl, helm, scripts).",
    fields: [
      { name: "deployCommand", label: "Deploy command", hint: "Puts $OPS_VERSION on $OPS_COLOUR, which takes no traffic.", multiline: true },
      { name: "switchCommand", label: "Switch command", hint: "Sends all traffic to $OPS_COLOUR.", multiline: true },
      { name: "statusCommand", label: "Status command", hint: "Prints the live colour: blue, green, or nothing.", multiline: true },
      { name: "preflightCommand", label: "Preflight command (optional)", hint: "A resource check run before anything changes.", multiline: true, optional: true },
      { name: "timeoutMs", label: "Command timeout (ms)", type: "number", hint: "Each command is stopped after this long. Default 300000 (5 min).", optional: true },
    ],
  },
  NGINX: {
    description: "Writes the service's upstream include file, checks it with nginx -t, reloads Nginx and verifies the new colour answers through it.",
    fields: [
      { name: "upstreamFile", label: "Upstream include file", hint: "Absolute path the portal may write, e.g. /etc/nginx/conf.d/payments-upstream.conf." },
      { name: "upstreamName", label: "Upstream name", hint: "The name proxy_pass uses." },
      { name: "proxyUrl", label: "URL through Nginx", type: "url", hint: "The service as clients reach it; the health path is appended to verify a switch." },
      { name: "colourHeader", label: "Colour header (optional)", hint: "A response header naming the colour that answered, e.g. X-Colour.", optional: true },
      { name: "testCommand", label: "Test command (optional)", hint: "Default: nginx -t", optional: true },
      { name: "reloadCommand", label: "Reload command (optional)", hint: "Default: nginx -s reload", optional: true },
      { name: "deployCommand", label: "Deploy command (optional)", hint: "Run like the command driver's, to put the version on the idle colour.", multiline: true, optional: true },
      { name: "timeoutMs", label: "Timeout (ms)", type: "number", optional: true, hint: "Default 300000 (5 min)." },
    ],
  },
  WEBHOOK: {
    description: "POSTs signed JSON (X-Ops-Portal-Signature: sha256=…) to your CI/CD system and polls the status URL it returns.",
    fields: [
      { name: "url", label: "Webhook URL", type: "url" },
      { name: "statusUrlTemplate", label: "Status URL template (optional)", hint: "When the response gives no status URL or Location.", optional: true },
      { name: "pollIntervalMs", label: "Poll interval (ms)", type: "number", optional: true, hint: "Default 2000." },
      { name: "timeoutMs", label: "Timeout (ms)", type: "number", optional: true, hint: "Default 300000 (5 min)." },
    ],
  },
};

export type TargetFormValues = {
  driver: Driver;
  blueUrl: string;
  greenUrl: string;
  healthPath: string;
  healthSuccesses: number;
  healthIntervalMs: number;
  healthTimeoutMs: number;
  validationWindowMs: number;
  validationIntervalMs: number;
  maxErrorRatePct: number;
  maxP95LatencyMs: number;
  driverConfig: Record<string, unknown>;
  hasWebhookSecret: boolean;
};

export function TargetForm({
  serviceId,
  serviceName,
  values,
  available,
}: {
  serviceId: string;
  serviceName: string;
  values: TargetFormValues | null;
  /** Drivers this build of the portal has (the others are listed, and refused on save). */
  available: Driver[];
}) {
  const [driver, setDriver] = useState<Driver>(values?.driver ?? "COMMAND");
  const save = useGuardedAction(saveDeploymentTargetAction);
  const router = useRouter();
  const saved = save.result?.ok === true;
  useEffect(() => {
    if (saved) router.push(`/services/${serviceId}`);
  }, [saved, router, serviceId]);
  const errors = save.result && !save.result.ok ? (save.result.fieldErrors ?? {}) : {};
  // Settings saved for another driver do not fill this one's fields.
  const config = values && values.driver === driver ? values.driverConfig : {};
  const configValue = (name: string) => {
    const v = config[name];
    return typeof v === "string" || typeof v === "number" ? String(v) : "";
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.pending) return;
    save.run(new FormData(event.currentTarget));
  }

  const section = "space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900";
  const legend = "text-sm font-semibold";
  return (
    <form aria-label={`Deployment target of ${serviceName}`} onSubmit={submit} noValidate className="space-y-5">
      <input type="hidden" name="serviceId" value={serviceId} />
      <ActionStatus result={save.result} success="Saved. Back to the service…" />

      <fieldset className={section}>
        <legend className={`${legend} float-left w-full`}>Colours</legend>
        <div className="grid clear-both gap-4 md:grid-cols-2">
          <Field id="target-blue" name="blueUrl" label="Blue URL" type="url" required defaultValue={values?.blueUrl} error={errors.blueUrl} hint="Base URL of the blue colour, e.g. http://10.0.0.5:8080" />
          <Field id="target-green" name="greenUrl" label="Green URL" type="url" required defaultValue={values?.greenUrl} error={errors.greenUrl} hint="Base URL of the green colour" />
        </div>
      </fieldset>

      <fieldset className={section}>
        <legend className={`${legend} float-left w-full`}>Health check and validation</legend>
        <div className="grid clear-both gap-4 md:grid-cols-3">
          <Field id="target-health-path" name="healthPath" label="Health-check path" defaultValue={values?.healthPath ?? "/health"} error={errors.healthPath} />
          <Field id="target-health-successes" name="healthSuccesses" label="Consecutive passes needed" type="number" min={1} max={20} defaultValue={values?.healthSuccesses ?? 3} error={errors.healthSuccesses} />
          <Field id="target-health-interval" name="healthIntervalMs" label="Health-check interval (ms)" type="number" defaultValue={values?.healthIntervalMs ?? 1000} error={errors.healthIntervalMs} />
          <Field id="target-health-timeout" name="healthTimeoutMs" label="Health-check timeout (ms)" type="number" defaultValue={values?.healthTimeoutMs ?? 60000} error={errors.healthTimeoutMs} hint="The idle colour must pass within this long, or nothing moves." />
          <Field id="target-validation-window" name="validationWindowMs" label="Validation window (ms)" type="number" defaultValue={values?.validationWindowMs ?? 60000} error={errors.validationWindowMs} hint="How long traffic is watched after the switch." />
          <Field id="target-validation-interval" name="validationIntervalMs" label="Validation interval (ms)" type="number" defaultValue={values?.validationIntervalMs ?? 500} error={errors.validationIntervalMs} />
          <Field id="target-max-error" name="maxErrorRatePct" label="Maximum error rate (%)" type="number" step="0.1" defaultValue={values?.maxErrorRatePct ?? 1} error={errors.maxErrorRatePct} />
          <Field id="target-max-p95" name="maxP95LatencyMs" label="Maximum p95 latency (ms)" type="number" defaultValue={values?.maxP95LatencyMs ?? 500} error={errors.maxP95LatencyMs} />
        </div>
      </fieldset>

      <fieldset className={section}>
        <legend className={`${legend} float-left w-full`}>Driver</legend>
        <div className="clear-both space-y-4">
          <SelectField
            id="target-driver"
            name="driver"
            label="Driver"
            value={driver}
            onChange={(e) => setDriver(e.target.value as Driver)}
            error={errors.driver}
            hint={DRIVER_FIELDS[driver].description}
            options={(["COMMAND", "NGINX", "WEBHOOK"] as const).map((d) => ({
              value: d,
              label: `${DRIVER_NAMES[d]}${available.includes(d) ? "" : " (not in this version)"}`,
            }))}
          />
          {errors.driverConfig ? <p className="text-sm font-medium text-red-700 dark:text-red-400">{errors.driverConfig}</p> : null}
          <div key={driver} className="grid gap-4 md:grid-cols-2">
            {DRIVER_FIELDS[driver].fields.map((f) => {
              const id = `target-cfg-${f.name}`;
              const common = { id, name: `driverConfig.${f.name}`, label: f.label, hint: f.hint, error: errors[`driverConfig.${f.name}`], required: !f.optional, defaultValue: configValue(f.name) };
              return f.multiline ? (
                <div key={f.name} className="md:col-span-2">
                  <TextAreaField {...common} rows={2} className="font-mono" spellCheck={false} />
                </div>
              ) : (
                <Field key={f.name} {...common} type={f.type ?? "text"} className={f.type === "number" ? "" : "font-mono"} spellCheck={false} />
              );
            })}
            {driver === "WEBHOOK" ? (
              <Field
                id="target-webhook-secret"
                name="webhookSecret"
                label="Signing secret"
                type="password"
                autoComplete="new-password"
                error={errors.webhookSecret}
                hint={values?.hasWebhookSecret ? "A secret is stored (never shown). Leave blank to keep it." : "Shared with the CI/CD system to check the HMAC signature."}
              />
            ) : null}
          </div>
        </div>
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={save.pending}>
          {save.pending ? "Saving…" : "Save target"}
        </Button>
        <p className="text-xs text-slate-500 dark:text-slate-400">You will be asked for an authenticator code. The change is audited (without the secret).</p>
      </div>
      {save.stepUpDialog}
    </form>
  );
}
