"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, type FormEvent } from "react";
import { createServiceAction, updateServiceAction } from "@/app/(portal)/services/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { ROLE_LABELS, type Role } from "@/lib/rbac/permissions";
import { ENVIRONMENT_LABELS, ENVIRONMENTS, SERVICE_LINKS, TIER_LABELS, TIERS } from "@/lib/services/schemas";

export type ServiceFormValues = {
  id: string;
  name: string;
  environment: string;
  ownerTeam: string;
  tier: number;
  description: string;
  repoUrl: string;
  runbookUrl: string;
  dashboardUrl: string;
  stakeholderIds: string[];
};

type Person = { id: string; name: string; email: string; role: Role; active: boolean };

const ENVIRONMENT_OPTIONS = ENVIRONMENTS.map((e) => ({ value: e, label: ENVIRONMENT_LABELS[e] }));
const TIER_OPTIONS = TIERS.map((t) => ({ value: String(t), label: TIER_LABELS[t] ?? `Tier ${t}` }));
const LINK_PLACEHOLDERS: Record<(typeof SERVICE_LINKS)[number]["field"], string> = {
  repoUrl: "https://git.example.internal/team/service",
  runbookUrl: "https://wiki.example.internal/runbooks/service",
  dashboardUrl: "https://grafana.example.internal/d/service",
};

/**
 * Creates a service, or edits one when `service` is given. Values stay as typed when the server
 * refuses them; each field's error is tied to it and the summary is announced.
 */
export function ServiceForm({
  service,
  people,
  teams,
}: {
  service?: ServiceFormValues;
  /** Who may be named: people whose role can sign off UAT, plus anyone already named. */
  people: Person[];
  teams: string[];
}) {
  const { run, result, pending, stepUpDialog } = useGuardedAction(service ? updateServiceAction : createServiceAction);
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (result?.ok) router.push(`/services/${result.data.id}`);
    else if (result && !result.ok) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [result, router]);

  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const label = service ? `Edit ${service.name}` : "Add a service";
  const chosen = new Set(service?.stakeholderIds ?? []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    run(new FormData(event.currentTarget));
  }

  return (
    <>
      <form ref={formRef} aria-label={label} onSubmit={submit} noValidate className="space-y-6 p-4 sm:p-6">
        {service ? <input type="hidden" name="serviceId" value={service.id} /> : null}
        <ActionStatus result={result?.ok ? null : result} />

        <div className="grid gap-5 sm:grid-cols-2">
          <Field
            id="name"
            name="name"
            label="Name"
            defaultValue={service?.name}
            autoComplete="off"
            required
            hint="Letters, digits, dots, dashes or underscores, like payments-api."
            error={errors.name}
          />
          <SelectField
            id="environment"
            name="environment"
            label="Environment"
            options={ENVIRONMENT_OPTIONS}
            defaultValue={service?.environment ?? "PRODUCTION"}
            error={errors.environment}
          />
          <Field
            id="ownerTeam"
            name="ownerTeam"
            label="Owner team"
            list="owner-teams"
            defaultValue={service?.ownerTeam}
            autoComplete="off"
            required
            error={errors.ownerTeam}
          />
          <datalist id="owner-teams">
            {teams.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <SelectField
            id="tier"
            name="tier"
            label="Tier"
            options={TIER_OPTIONS}
            defaultValue={String(service?.tier ?? 2)}
            hint="Tier 1 services are business critical: outages page someone at once."
            error={errors.tier}
          />
        </div>

        <div className="space-y-1.5">
          <label htmlFor="description" className="block text-sm font-medium text-slate-700 dark:text-slate-200">
            Description <span className="font-normal text-slate-500 dark:text-slate-400">(optional)</span>
          </label>
          <textarea
            id="description"
            name="description"
            rows={3}
            defaultValue={service?.description}
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={errors.description ? "description-error" : undefined}
            className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm outline-none transition focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:bg-slate-900 ${
              errors.description ? "border-red-500" : "border-slate-300 dark:border-slate-700"
            }`}
          />
          {errors.description ? (
            <p id="description-error" className="text-xs font-medium text-red-600 dark:text-red-400">
              {errors.description}
            </p>
          ) : null}
        </div>

        <fieldset className="space-y-4">
          <legend className="text-sm font-semibold">Links</legend>
          <p className="-mt-2 text-xs text-slate-500 dark:text-slate-400">
            Optional. Full addresses starting with https:// or http://; they open in a new tab.
          </p>
          <div className="grid gap-4">
            {SERVICE_LINKS.map((l) => (
              <Field
                key={l.field}
                id={l.field}
                name={l.field}
                type="url"
                inputMode="url"
                label={l.label}
                placeholder={LINK_PLACEHOLDERS[l.field]}
                defaultValue={service?.[l.field]}
                autoComplete="off"
                error={errors[l.field]}
              />
            ))}
          </div>
        </fieldset>

        <fieldset aria-describedby={`stakeholders-hint${errors.stakeholderIds ? " stakeholders-error" : ""}`}>
          <legend className="text-sm font-semibold">Stakeholders</legend>
          <p id="stakeholders-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            Named on every new change to this service: they sign off UAT and must approve. Only people whose role allows
            UAT sign-off are listed.
          </p>
          {people.length ? (
            <ul className="mt-3 grid gap-2 sm:grid-cols-2">
              {people.map((p) => (
                <li key={p.id}>
                  <label className="flex cursor-pointer items-start gap-3 rounded-md border border-slate-200 px-3 py-2 text-sm hover:bg-slate-50 has-checked:border-indigo-300 has-checked:bg-indigo-50/60 dark:border-slate-700 dark:hover:bg-slate-800 dark:has-checked:border-indigo-500/40 dark:has-checked:bg-indigo-500/10">
                    <input
                      type="checkbox"
                      name="stakeholderIds"
                      value={p.id}
                      defaultChecked={chosen.has(p.id)}
                      className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500 dark:border-slate-600"
                    />
                    <span className="min-w-0">
                      <span className="block font-medium">{p.name}</span>
                      <span className="block truncate text-xs text-slate-500 dark:text-slate-400">
                        {p.email} · {p.active ? ROLE_LABELS[p.role] : "Deactivated"}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
              Nobody can be named yet: no active user has a role that allows UAT sign-off.
            </p>
          )}
          {errors.stakeholderIds ? (
            <p id="stakeholders-error" className="mt-2 text-xs font-medium text-red-600 dark:text-red-400">
              {errors.stakeholderIds}
            </p>
          ) : null}
        </fieldset>

        <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-5 dark:border-slate-800">
          <Button type="submit" disabled={pending || result?.ok}>
            {pending || result?.ok ? "Saving…" : service ? "Save changes" : "Create service"}
          </Button>
          <Link
            href={service ? `/services/${service.id}` : "/services"}
            className="inline-flex items-center rounded-md px-3.5 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            Cancel
          </Link>
        </div>
      </form>
      {stepUpDialog}
    </>
  );
}
