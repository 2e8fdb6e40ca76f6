"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { ZCreateServiceInput, ZUpdateServiceInput } from "@/lib/services/schemas";
import { createService, updateService } from "@/lib/services/service";

async function refreshed<T>(result: Promise<T>): Promise<T> {
  const value = await result;
  revalidatePath("/services", "layout");
  revalidatePath("/");
  return value;
}

export const createServiceAction = defineAction(
  { name: "service.create", permission: "service.write", schema: ZCreateServiceInput },
  (c) => refreshed(createService(c.user, c.input, c.request)),
);

export const updateServiceAction = defineAction(
  { name: "service.update", permission: "service.write", schema: ZUpdateServiceInput },
  (c) => refreshed(updateService(c.user, c.input, c.request)),
);
