"use client";

import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { ConfirmForm } from "@/components/ui/confirm-form";
import type { ActionResult } from "@/lib/actions/define-action";

/**
 * A button that asks, then runs a server action (with step-up when the action asks for it) and
 * refreshes the page's data on success; a refusal is shown under it.
 */
export function ConfirmedActionButton<T>({
  action,
  fields,
  trigger,
  confirm,
  question,
}: {
  action: (form: FormData) => Promise<ActionResult<T>>;
  fields: Record<string, string>;
  trigger: string;
  confirm: string;
  question: ReactNode;
}) {
  const { run, result, pending, stepUpDialog } = useGuardedAction(action);
  const router = useRouter();

  useEffect(() => {
    if (result?.ok) router.refresh();
  }, [result, router]);

  return (
    <div className="space-y-2">
      <ConfirmForm fields={fields} trigger={trigger} confirm={confirm} question={question} run={run} pending={pending} />
      {result && !result.ok ? <ActionStatus result={result} /> : null}
      {stepUpDialog}
    </div>
  );
}
