"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { ZCheckIdInput, ZCreateCheckInput, ZTestCheckInput, ZUpdateCheckInput } from "@/lib/health/check-schemas";
import { createCheck, deleteCheck, pauseCheck, resumeCheck, updateCheck } from "@/lib/health/checks";
import { testCheckConfig, testSavedCheck } from "@/lib/health/test-now";

async function refreshed<T>(result: Promise<T>): Promise<T> {
  const value = await result;
  revalidatePath("/health", "layout");
  return value;
}

export const createCheckAction = defineAction(
  { name: "health.check_create", permission: "health.manage", schema: ZCreateCheckInput },
  async (c) => {
    const saved = await refreshed(createCheck(c.user, c.input, c.request));
    return { id: saved.id, serviceId: saved.serviceId };
  },
);

export const updateCheckAction = defineAction(
  { name: "health.check_update", permission: "health.manage", schema: ZUpdateCheckInput },
  async (c) => {
    const saved = await refreshed(updateCheck(c.user, c.input, c.request));
    return { id: saved.id, serviceId: saved.serviceId, revision: saved.revision, changed: saved.changed };
  },
);

export const pauseCheckAction = defineAction(
  { name: "health.check_pause", permission: "health.manage", schema: ZCheckIdInput },
  (c) => refreshed(pauseCheck(c.user, c.input, c.request)),
);

export const resumeCheckAction = defineAction(
  { name: "health.check_resume", permission: "health.manage", schema: ZCheckIdInput },
  (c) => refreshed(resumeCheck(c.user, c.input, c.request)),
);

export const deleteCheckAction = defineAction(
  { name: "health.check_delete", permission: "health.manage", schema: ZCheckIdInput },
  (c) => refreshed(deleteCheck(c.user, c.input, c.request)),
);

/** "Test now" on the form: the values as typed, saved or not. Stores nothing. */
export const testCheckAction = defineAction(
  { name: "health.check_test", permission: "health.manage", schema: ZTestCheckInput },
  (c) => testCheckConfig(c.user, c.input, c.request),
);

/** "Test now" on the list: a saved check as saved. Stores nothing. */
export const testSavedCheckAction = defineAction(
  { name: "health.check_test", permission: "health.manage", schema: ZCheckIdInput },
  (c) => testSavedCheck(c.user, c.input, c.request),
);
