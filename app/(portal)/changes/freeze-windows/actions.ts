"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { ZCreateFreezeWindowInput, ZFreezeWindowIdInput } from "@/lib/freeze/schemas";
import { cancelFreezeWindow, createFreezeWindow } from "@/lib/freeze/service";

async function refreshed<T>(result: Promise<T>): Promise<T> {
  const value = await result;
  revalidatePath("/changes", "layout");
  return value;
}

export const createFreezeWindowAction = defineAction(
  { name: "freeze.create", permission: "freeze.manage", schema: ZCreateFreezeWindowInput },
  async (c) => {
    const created = await refreshed(createFreezeWindow(c.user, c.input, c.request));
    // Only what the form shows goes back to the browser (no user ids).
    return {
      affectedChanges: created.affectedChanges.map(({ number, title, status }) => ({ number, title, status })),
      notifiedCount: created.notified.length,
    };
  },
);

export const cancelFreezeWindowAction = defineAction(
  { name: "freeze.cancel", permission: "freeze.manage", schema: ZFreezeWindowIdInput },
  (c) => refreshed(cancelFreezeWindow(c.user, c.input, c.request)),
);
