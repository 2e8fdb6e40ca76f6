"use client";

import { Trash2 } from "lucide-react";
import { useEffect, useRef, type FormEvent } from "react";
import {
  addAllowRuleAction,
  addTrustedProxyAction,
  removeAllowRuleAction,
  removeTrustedProxyAction,
} from "@/app/(portal)/admin/security/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { IpRuleRow } from "@/lib/security/queries";
import { formatDate } from "@/lib/ui/format";

const ACTIONS = {
  ALLOW: { add: addAllowRuleAction, remove: removeAllowRuleAction, noun: "the allow-list" },
  TRUSTED_PROXY: { add: addTrustedProxyAction, remove: removeTrustedProxyAction, noun: "the trusted proxies" },
};

/** One list of CIDR ranges (allow-list or trusted proxies): the ranges, a remove button each, an add form. */
export function IpRulesEditor({
  kind,
  title,
  rules,
  fixed = [],
  fixedNote,
  emptyNote,
}: {
  kind: keyof typeof ACTIONS;
  title: string;
  rules: IpRuleRow[];
  /** Ranges that come from the deployment (TRUSTED_PROXIES) and cannot be removed here. */
  fixed?: string[];
  fixedNote?: string;
  /** What an empty list means. */
  emptyNote?: string;
}) {
  const { add: addAction, remove: removeAction, noun } = ACTIONS[kind];
  const add = useGuardedAction(addAction);
  const remove = useGuardedAction(removeAction);
  const form = useRef<HTMLFormElement>(null);
  const prefix = kind === "ALLOW" ? "allow" : "proxy";
  const errors = add.result && !add.result.ok ? (add.result.fieldErrors ?? {}) : {};

  // Clear the fields once a range is saved; after a refusal they keep what was typed.
  useEffect(() => {
    if (add.result?.ok) form.current?.reset();
  }, [add.result]);

  function submitAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    add.run(new FormData(event.currentTarget));
  }
  function submitRemove(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    remove.run(new FormData(event.currentTarget));
  }

  return (
    <div className="space-y-4">
      <ActionStatus result={remove.result} success={remove.result?.ok ? `Removed ${remove.result.data.cidr} from ${noun}.` : undefined} />
      {rules.length || fixed.length ? (
        <ul aria-label={title} className="divide-y divide-slate-100 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {fixed.map((cidr) => (
            <li key={`env-${cidr}`} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2.5">
              <span className="font-mono text-sm">{cidr}</span>
              <Badge>{fixedNote ?? "From the environment"}</Badge>
            </li>
          ))}
          {rules.map((rule) => (
            <li key={rule.id} className="flex items-center justify-between gap-3 px-3 py-2.5">
              <div className="min-w-0">
                <span className="font-mono text-sm">{rule.cidr}</span>
                {rule.label ? <span className="ml-2 text-sm text-slate-700 dark:text-slate-300">{rule.label}</span> : null}
                <span className="block text-xs text-slate-500 dark:text-slate-400">
                  Added {formatDate(rule.createdAt)}
                  {rule.createdBy ? ` by ${rule.createdBy}` : ""}
                </span>
              </div>
              <form onSubmit={submitRemove}>
                <input type="hidden" name="ruleId" value={rule.id} />
                <Button
                  type="submit"
                  variant="ghost"
                  disabled={remove.pending}
                  aria-label={`Remove ${rule.cidr}`}
                  className="text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-500/10"
                >
                  <Trash2 aria-hidden="true" className="h-4 w-4" />
                  <span className="hidden sm:inline">Remove</span>
                </Button>
              </form>
            </li>
          ))}
        </ul>
      ) : emptyNote ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{emptyNote}</p>
      ) : null}
      <form
        ref={form}
        aria-label={`Add to ${noun}`}
        onSubmit={submitAdd}
        noValidate
        className="space-y-3 rounded-lg border border-dashed border-slate-300 p-3 dark:border-slate-700"
      >
        <ActionStatus result={add.result} success={add.result?.ok ? `Added ${add.result.data.cidr} to ${noun}.` : undefined} />
        <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-start">
          <Field
            id={`${prefix}-cidr`}
            name="cidr"
            label="Address or CIDR range"
            placeholder={kind === "ALLOW" ? "203.0.113.0/24" : "10.0.0.5"}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            error={errors.cidr}
          />
          <Field id={`${prefix}-label`} name="label" label="Label (optional)" placeholder={kind === "ALLOW" ? "Office VPN" : "nginx-1"} autoComplete="off" error={errors.label} />
          <Button type="submit" disabled={add.pending} className="sm:mt-7">
            {add.pending ? "Adding…" : "Add range"}
          </Button>
        </div>
      </form>
      {add.stepUpDialog}
      {remove.stepUpDialog}
    </div>
  );
}
