"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { ZRequestRollbackInput, requestRollback } from "@/lib/deployments/rollback";
import { refreshLiveColour, saveDeploymentTarget } from "@/lib/deployments/target";
import { triggerDeployment, ZTriggerDeploymentInput } from "@/lib/deployments/trigger";

/*
 * Thin wrappers: defineAction checks the permission (and step-up), parses the form, and the
 * lib/deployments function enforces every rule (gates, locks, audit) again on its own.
 */

async function refreshed<T>(result: Promise<T>, ...paths: string[]): Promise<T> {
  const value = await result;
  revalidatePath("/deployments", "layout");
  for (const p of paths) revalidatePath(p, "layout");
  return value;
}

/** Starts a deployment of an approved change; the form's idempotency key makes a double click start one. */
export const triggerDeploymentAction = defineAction(
  { name: "deployment.trigger", permission: "deployment.trigger", schema: ZTriggerDeploymentInput, stepUp: true },
  (c) => refreshed(triggerDeployment(c.user, c.input, c.request, "ui"), "/changes", "/services"),
);

export const requestRollbackAction = defineAction(
  { name: "deployment.rollback", permission: "deployment.rollback", schema: ZRequestRollbackInput, stepUp: true },
  (c) => refreshed(requestRollback(c.user, c.input, c.request, "ui"), "/changes", "/services"),
);

/** Asks the target which colour is live now (runs the driver's read-back; no step-up: it changes nothing). */
export const refreshLiveColourAction = defineAction(
  { name: "deployment.refresh_live", permission: "deployment.trigger", schema: z.object({ serviceId: z.string().trim().min(1).max(64) }) },
  (c) => refreshed(refreshLiveColour(c.input.serviceId), `/services/${c.input.serviceId}`),
);

/**
 * The admin's target form. The driver's own fields arrive as "driverConfig.<name>"; blank ones are
 * left out so the driver's defaults apply. saveDeploymentTarget validates everything (field errors
 * keep the same names, so the form shows each next to its field).
 */
export const saveDeploymentTargetAction = defineAction(
  {
    name: "deployment.target_save",
    permission: "deployment.configure",
    schema: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    stepUp: true,
  },
  async (c) => {
    const input: Record<string, unknown> = {};
    const driverConfig: Record<string, string> = {};
    for (const [key, value] of Object.entries(c.input)) {
      const v = Array.isArray(value) ? (value[0] ?? "") : value;
      if (key.startsWith("driverConfig.")) {
        if (v.trim() !== "") driverConfig[key.slice("driverConfig.".length)] = v;
      } else if (v.trim() !== "" || key === "webhookSecret") input[key] = v;
    }
    return refreshed(saveDeploymentTarget(c.user, { ...input, driverConfig }, c.request, "ui"), "/services");
  },
);
