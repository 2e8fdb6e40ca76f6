"use client";

import { RefreshCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { regenerateRecoveryCodesAction } from "@/app/(portal)/account/security/actions";
import { RecoveryCodes } from "@/components/auth/recovery-codes";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

/** How many recovery codes are left, and a fresh batch on request (step-up first; shown once). */
export function RecoveryCodesCard({ account, remaining, issued }: { account: string; remaining: number; issued: number }) {
  const { run, result, pending, reset, stepUpDialog } = useGuardedAction(regenerateRecoveryCodesAction);
  const [confirming, setConfirming] = useState(false);
  const router = useRouter();
  const tone = remaining === 0 ? "danger" : remaining <= 3 ? "warning" : "success";

  if (result?.ok) {
    return (
      <div className="rounded-lg border border-slate-200 p-4 dark:border-slate-700">
        <RecoveryCodes
          codes={result.data.codes}
          account={account}
          continueLabel="Done"
          onContinue={() => {
            setConfirming(false);
            reset();
            router.refresh();
          }}
        />
      </div>
    );
  }

  return (
    <div className="space-y-3 border-t border-slate-200 pt-4 dark:border-slate-800">
      <div className="flex items-start justify-between gap-4">
        <div className="min-w-0">
          <p className="text-sm font-medium">Recovery codes</p>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Each signs you in once if you lose your phone.
          </p>
        </div>
        <span className="shrink-0">
          <Badge tone={tone}>
            {remaining} of {issued || 10} left
          </Badge>
        </span>
      </div>
      {remaining <= 3 ? (
        <Alert tone={remaining === 0 ? "error" : "info"}>
          {remaining === 0
            ? "You have no recovery codes left. Make new ones now, or losing your phone will lock you out."
            : "You are running low on recovery codes. Make new ones and store them safely."}
        </Alert>
      ) : null}
      {result && !result.ok ? <Alert>{result.message}</Alert> : null}
      {confirming ? (
        <div className="space-y-3 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100">
          <p>Your current recovery codes will stop working, including any you have saved. Continue?</p>
          <div className="flex gap-2">
            <Button onClick={() => run(new FormData())} disabled={pending}>
              {pending ? "Making codes…" : "Make new codes"}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          <RefreshCw aria-hidden="true" className="h-4 w-4" />
          Make new recovery codes
        </Button>
      )}
      {stepUpDialog}
    </div>
  );
}
