"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { cancelMaintenanceAction } from "@/app/(portal)/health/[serviceId]/maintenance/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { ConfirmForm } from "@/components/ui/confirm-form";

/** Cancel, then confirm: an active window ends at once and state changes alert again. */
export function CancelMaintenanceButton({ id, label, active }: { id: string; label: string; active: boolean }) {
  const { run, result, pending, stepUpDialog } = useGuardedAction(cancelMaintenanceAction);
  const router = useRouter();

  useEffect(() => {
    if (result?.ok) router.refresh();
  }, [result, router]);

  return (
    <div className="space-y-2">
      <ConfirmForm
        fields={{ maintenanceId: id }}
        trigger="Cancel maintenance"
        confirm="Yes, cancel it"
        question={
          <>
            Cancel the maintenance <strong>{label}</strong>?{" "}
            {active ? "It is in progress: from now on state changes are no longer muted." : "State changes in that time will not be muted."} It stays on
            record as cancelled.
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
