"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { cancelFreezeWindowAction } from "@/app/(portal)/changes/freeze-windows/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { ConfirmForm } from "@/components/ui/confirm-form";

/** Cancel, then confirm: lifting a freeze lets changes be scheduled into it again. */
export function CancelFreezeButton({ id, label, active }: { id: string; label: string; active: boolean }) {
  const { run, result, pending, stepUpDialog } = useGuardedAction(cancelFreezeWindowAction);
  const router = useRouter();

  useEffect(() => {
    if (result?.ok) router.refresh();
  }, [result, router]);

  return (
    <div className="space-y-2">
      <ConfirmForm
        fields={{ freezeWindowId: id }}
        trigger="Cancel freeze"
        confirm="Yes, cancel this freeze"
        question={
          <>
            Cancel the freeze <strong>{label}</strong>?{" "}
            {active ? "It is in force now: changes can be scheduled again at once." : "Changes can then be scheduled in that time."}{" "}
            The window stays on record as cancelled.
          </>
        }
        run={run}
        pending={pending}
      />
      {result && !result.ok ? <ActionStatus result={result} /> : null}
      {stepUpDialog}
    </div>
  );
}
