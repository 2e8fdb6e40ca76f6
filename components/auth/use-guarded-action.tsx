"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/define-action";
import { StepUpDialog } from "./step-up-dialog";

/**
 * Runs a server action made with defineAction. When the server answers "step-up required" it asks
 * for an authenticator code and then runs the same submission again, so the person never retypes it.
 */
export function useGuardedAction<T>(action: (form: FormData) => Promise<ActionResult<T>>): {
  run: (form: FormData) => void;
  result: ActionResult<T> | null;
  pending: boolean;
  reset: () => void;
  stepUpDialog: ReactNode;
} {
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const [waiting, setWaiting] = useState<FormData | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();

  function run(form: FormData) {
    startTransition(async () => {
      const r = await action(form);
      // A revoked or expired session: leave the page for sign-in, as a page load would.
      if (!r.ok && r.code === "unauthenticated") router.replace("/sign-in");
      else if (!r.ok && r.code === "step_up_required") setWaiting(form);
      else setResult(r);
    });
  }

  const stepUpDialog = waiting ? (
    <StepUpDialog
      onConfirmed={() => {
        const form = waiting;
        setWaiting(null);
        run(form);
      }}
      onCancel={() => setWaiting(null)}
    />
  ) : null;

  return { run, result, pending, reset: () => setResult(null), stepUpDialog };
}
