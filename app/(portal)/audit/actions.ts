"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { auditExportHref, ZExportFormat } from "@/lib/audit/export";
import { ZAuditFilter } from "@/lib/audit/filters";
import { verifyTrailAs } from "@/lib/audit/service";

export const verifyAuditTrailAction = defineAction(
  { name: "audit.verify", permission: "audit.read", schema: z.object({}) },
  ({ user, request }) => verifyTrailAs(user, request),
);

/** Checks permission and step-up up front, so the download link that follows just works. */
export const prepareAuditExportAction = defineAction(
  {
    name: "audit.export",
    permission: "audit.export",
    stepUp: true,
    schema: z.intersection(ZAuditFilter, z.object({ format: ZExportFormat })),
  },
  async ({ input: { format, ...filter } }) => auditExportHref(filter, format),
);
