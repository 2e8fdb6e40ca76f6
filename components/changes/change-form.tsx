"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { TextAreaField } from "@/components/ui/text-area-field";
import type { ActionResult } from "@/lib/actions/define-action";
import { CHANGE_RISKS } from "@/lib/changes/filters";
import {
  fromDateTimeLocal,
  RISK_HINTS,
  riskLabel,
  TYPE_HINTS,
  TYPE_LABELS,
  type ChangeRiskValue,
  type ChangeTypeValue,
} from "./labels";

export type ChangeFormValues = {
  title: string;
  serviceId: string;
  type: ChangeTypeValue;
  risk: ChangeRiskValue;
  riskAssessment: string;
  description: string;
  implementationPlan: string;
  rollbackPlan: string;
  /** datetime-local values, UTC. */
  plannedStart: string;
  plannedEnd: string;
  version: string;
  stakeholderIds: string[];
};

export type ServiceOption = { id: string; name: string; environment: string; stakeholderIds: string[] };
export type PersonOption = { id: string; name: string; email: string };

type Props = {
  /** The server action: create or update. Its data carries the change's reference (CHG-000123) for the redirect. */
  action: (form: FormData) => Promise<ActionResult<{ reference: string }>>;
  services: ServiceOption[];
  /** People who may sign UAT: the choices for named stakeholders. */
  people: PersonOption[];
  initial?: ChangeFormValues;
  /** Editing: the change and the revision the form was loaded at (the server compares it). */
  editing?: { changeId: string; revision: number; number: string };
  cancelHref: string;
  /** Stakeholders who must stay (the change was submitted; only an administrator may remove them). */
  lockedStakeholderIds?: string[];
};

const EMPTY: ChangeFormValues = {
  title: "",
  serviceId: "",
  type: "NORMAL",
  risk: "MEDIUM",
  riskAssessment: "",
  description: "",
  implementationPlan: "",
  rollbackPlan: "",
  plannedStart: "",
  plannedEnd: "",
  version: "",
  stakeholderIds: [],
};

const typeOptions = Object.entries(TYPE_LABELS).map(([value, label]) => ({ value, label }));
const riskOptions = CHANGE_RISKS.map((value) => ({ value, label: riskLabel(value) }));

/** Create or edit a change request. Inputs keep what was typed when the server refuses it. */
export function ChangeForm({ action, services, people, initial = EMPTY, editing, cancelHref, lockedStakeholderIds = [] }: Props) {
  const router = useRouter();
  const { run, result, pending, stepUpDialog } = useGuardedAction(action);
  const [serviceId, setServiceId] = useState(initial.serviceId);
  const [type, setType] = useState<ChangeTypeValue>(initial.type);
  const [risk, setRisk] = useState<ChangeRiskValue>(initial.risk);
  const [stakeholderIds, setStakeholderIds] = useState<string[]>(initial.stakeholderIds);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};

  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok) router.push(`/changes/${result.data.reference}`);
    // Keyboard and screen-reader users land on the first field to fix.
    else if (result) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [result, router]);

  function chooseService(id: string) {
    setServiceId(id);
    // A new change starts with the service's stakeholders; editing keeps the change's own list.
    if (!editing) setStakeholderIds(services.find((s) => s.id === id)?.stakeholderIds ?? []);
  }

  function toggle(id: string, on: boolean) {
    setStakeholderIds((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    for (const name of ["plannedStart", "plannedEnd"]) {
      form.set(name, fromDateTimeLocal(String(form.get(name) ?? "")));
    }
    run(form);
  }

  const serviceOptions = [
    { value: "", label: "Choose a service…" },
    ...services.map((s) => ({ value: s.id, label: `${s.name} (${s.environment.toLowerCase()})` })),
  ];

  return (
    <>
      <form
        ref={formRef}
        aria-label={editing ? `Edit ${editing.number}` : "Raise a change request"}
        onSubmit={submit}
        noValidate
        className="space-y-6 p-4 sm:p-6"
      >
        {editing ? (
          <>
            <input type="hidden" name="changeId" value={editing.changeId} />
            <input type="hidden" name="revision" value={editing.revision} />
          </>
        ) : null}
        <ActionStatus result={result?.ok ? null : result} />

        <Field id="title" name="title" label="Title" defaultValue={initial.title} required maxLength={120} error={errors.title} />

        <div className="grid gap-5 sm:grid-cols-3">
          <SelectField
            id="serviceId"
            name="serviceId"
            label="Service"
            options={serviceOptions}
            value={serviceId}
            onChange={(e) => chooseService(e.target.value)}
            error={errors.serviceId}
            required
          />
          <SelectField
            id="type"
            name="type"
            label="Type"
            options={typeOptions}
            value={type}
            onChange={(e) => setType(e.target.value as ChangeTypeValue)}
            hint={TYPE_HINTS[type]}
            error={errors.type}
          />
          <SelectField
            id="risk"
            name="risk"
            label="Risk"
            options={riskOptions}
            value={risk}
            onChange={(e) => setRisk(e.target.value as ChangeRiskValue)}
            hint={RISK_HINTS[risk]}
            error={errors.risk}
          />
        </div>

        <TextAreaField
          id="riskAssessment"
          name="riskAssessment"
          label="Risk assessment"
          rows={2}
          defaultValue={initial.riskAssessment}
          hint="What could go wrong, how likely, and who would notice."
          error={errors.riskAssessment}
        />
        <TextAreaField id="description" name="description" label="Description" rows={3} defaultValue={initial.description} error={errors.description} />
        <div className="grid gap-5 lg:grid-cols-2">
          <TextAreaField
            id="implementationPlan"
            name="implementationPlan"
            label="Implementation plan"
            rows={6}
            defaultValue={initial.implementationPlan}
            hint="The steps, in order."
            error={errors.implementationPlan}
          />
          <TextAreaField
            id="rollbackPlan"
            name="rollbackPlan"
            label="Rollback plan"
            rows={6}
            defaultValue={initial.rollbackPlan}
            hint="How to go back, and how long it takes. Approvers confirm they read it."
            error={errors.rollbackPlan}
          />
        </div>

        <fieldset className="grid gap-5 sm:grid-cols-3">
          <legend className="mb-2 text-sm font-semibold">Change window and artefact</legend>
          <Field
            id="plannedStart"
            name="plannedStart"
            type="datetime-local"
            label="Planned start (UTC)"
            defaultValue={initial.plannedStart}
            error={errors.plannedStart}
            required
          />
          <Field
            id="plannedEnd"
            name="plannedEnd"
            type="datetime-local"
            label="Planned end (UTC)"
            defaultValue={initial.plannedEnd}
            error={errors.plannedEnd}
            required
          />
          <Field
            id="version"
            name="version"
            label="Version or artefact"
            defaultValue={initial.version}
            placeholder="e.g. v2.4.1 or registry/app:sha"
            error={errors.version}
          />
        </fieldset>

        <fieldset aria-describedby="stakeholders-hint">
          <legend className="text-sm font-semibold">Named stakeholders</legend>
          {/* Present even when no box is ticked: "nobody", not "unchanged". */}
          <input type="hidden" name="stakeholderIds" value="" />
          <p id="stakeholders-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            Each must sign off UAT and approve. {editing ? "" : "Choosing a service ticks its stakeholders."}
            {lockedStakeholderIds.length ? " Stakeholders named at submission stay; only an administrator can remove them." : ""}
          </p>
          {people.length ? (
            <ul className="mt-2 grid gap-2 sm:grid-cols-2">
              {people.map((p) => {
                const locked = lockedStakeholderIds.includes(p.id);
                return (
                <li key={p.id}>
                  <label className="flex items-start gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800/60">
                    {/* A disabled box is not submitted: the hidden twin keeps a locked stakeholder named. */}
                    {locked ? <input type="hidden" name="stakeholderIds" value={p.id} /> : null}
                    <input
                      type="checkbox"
                      name={locked ? undefined : "stakeholderIds"}
                      value={p.id}
                      checked={locked || stakeholderIds.includes(p.id)}
                      disabled={locked}
                      onChange={(e) => toggle(p.id, e.target.checked)}
                      className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500"
                    />
                    <span>
                      <span className="font-medium">{p.name}</span>
                      <span className="block text-xs text-slate-500 dark:text-slate-400">{p.email}</span>
                    </span>
                  </label>
                </li>
                );
              })}
            </ul>
          ) : (
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">Nobody who can sign UAT has an account yet.</p>
          )}
          {errors.stakeholderIds ? (
            <p role="alert" className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">
              {errors.stakeholderIds}
            </p>
          ) : null}
        </fieldset>

        <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-5 dark:border-slate-800">
          <Button type="submit" disabled={pending || result?.ok === true}>
            {pending ? "Saving…" : editing ? "Save changes" : "Create draft"}
          </Button>
          <Link
            href={cancelHref}
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
