"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { cancelMaintenance, scheduleMaintenance } from "@/lib/health/maintenance";
import { ZMaintenanceIdInput, ZScheduleMaintenanceInput } from "@/lib/health/maintenance-schemas";

async function refreshed<T>(result: Promise<T>): Promise<T> {
  const value = await result;
  revalidatePath("/health", "layout");
  return value;
}

export const scheduleMaintenanceAction = defineAction(
  { name: "health.maintenance_schedule", permission: "health.manage", schema: ZScheduleMaintenanceInput },
  async (c) => {
    const created = await refreshed(scheduleMaintenance(c.user, c.input, c.request));
    return { id: created.id };
  },
);

export const cancelMaintenanceAction = defineAction(
  { name: "health.maintenance_cancel", permission: "health.manage", schema: ZMaintenanceIdInput },
  async (c) => {
    const cancelled = await refreshed(cancelMaintenance(c.user, c.input, c.request));
    return { id: cancelled.id };
  },
);
