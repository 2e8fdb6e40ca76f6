"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { saveDatasource, testDatasource, ZSaveDatasourceInput } from "@/lib/metrics/datasource";

/** Administrators only, behind step-up: the data source holds credentials for Prometheus. */
export const saveDatasourceAction = defineAction(
  { name: "metrics.datasource_save", permission: "metrics.configure", schema: ZSaveDatasourceInput, stepUp: true },
  async (c) => {
    const result = await saveDatasource(c.user, c.input, c.request, "ui");
    revalidatePath("/admin/prometheus");
    revalidatePath("/health", "layout");
    return result;
  },
);

/** "Test connection" with the form's values; changes nothing, so no step-up. */
export const testDatasourceAction = defineAction(
  { name: "metrics.datasource_test", permission: "metrics.configure", schema: ZSaveDatasourceInput },
  (c) => testDatasource(c.user, c.input),
);
