"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import type { ActionResult } from "@/lib/actions/define-action";

/**
 * A guarded change action (step-up when the server asks) that reloads the change page's data
 * once it succeeds, so every panel shows the new state and revision.
 */
export function useChangeAction<T>(action: (form: FormData) => Promise<ActionResult<T>>) {
  const guarded = useGuardedAction(action);
  const router = useRouter();
  const ok = guarded.result?.ok === true;
  useEffect(() => {
    if (ok) router.refresh();
  }, [ok, guarded.result, router]);
  return guarded;
}
