"use client";

import { cancelFreezeWindowAction } from "@/app/(portal)/changes/freeze-windows/actions";
import { ConfirmedActionButton } from "@/components/auth/confirmed-action-button";

/** Cancel, then confirm: lifting a freeze lets changes be scheduled into it again. */
export function CancelFreezeButton({ id, label, active }: { id: string; label: string; active: boolean }) {
  return (
    <ConfirmedActionButton
      action={cancelFreezeWindowAction}
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
    />
  );
}
