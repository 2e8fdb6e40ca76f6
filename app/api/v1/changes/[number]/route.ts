import { z } from "zod";
import { defineHandler } from "@/lib/api/define-handler";
import { apiChangeDetail } from "@/lib/changes/api-view";

/** One change by number (CHG-000123 or 123): content, window, stakeholders, evidence, approvals. */
export const GET = defineHandler(
  { name: "api.changes.get", permission: "change.read", params: z.object({ number: z.string() }) },
  ({ principal, params }) => apiChangeDetail(principal, params.number),
);
