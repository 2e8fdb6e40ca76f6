"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { deletePanel, savePanel, saveSelectors, ZDeletePanelInput, ZSavePanelInput, ZSaveSelectorsInput } from "@/lib/metrics/panels";

const refresh = () => revalidatePath("/health/[serviceId]/infrastructure", "page");

export const saveSelectorsAction = defineAction(
  { name: "metrics.selectors_save", permission: "health.manage", schema: ZSaveSelectorsInput },
  async (c) => {
    const result = await saveSelectors(c.user, c.input, c.request);
    refresh();
    return result;
  },
);

export const savePanelAction = defineAction({ name: "metrics.panel_save", permission: "health.manage", schema: ZSavePanelInput }, async (c) => {
  const result = await savePanel(c.user, c.input, c.request);
  refresh();
  return result;
});

export const deletePanelAction = defineAction({ name: "metrics.panel_delete", permission: "health.manage", schema: ZDeletePanelInput }, async (c) => {
  const result = await deletePanel(c.user, c.input, c.request);
  refresh();
  return result;
});
