"use client";

import { cancelMaintenanceAction } from "@/app/(portal)/health/[serviceId]/maintenance/actions";
import { ConfirmedActionButton } from "@/components/auth/confirmed-action-button";

/** Cancel, then confirm: an active window ends at once and state changes alert again. */
export function CancelMaintenanceButton({ id, label, active }: { id: string; label: string; active: boolean }) {
  return (
    <ConfirmedActionButton
      action={cancelMaintenanceAction}
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
    />
  );
}
