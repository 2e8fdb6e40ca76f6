import { z } from "zod";
import { defineHandler } from "@/lib/api/define-handler";
import { apiData, apiError } from "@/lib/api/http";
import { changeIdByNumber } from "@/lib/changes/detail";
import { parseChangeNumber } from "@/lib/changes/number";
import { ZEvidenceBody } from "@/lib/changes/schemas";
import { recordEvidence } from "@/lib/changes/service";

/**
 * Checklist evidence from a pipeline, e.g. a CI job posting its security-scan result:
 * POST /api/v1/changes/CHG-000123/evidence {"item":"SECURITY_SCAN","result":"PASSED","link":"https://..."}.
 * Same rules as the portal's form; the evidence's source says which token sent it.
 */
export const POST = defineHandler(
  { name: "api.changes.evidence", permission: "change.create", params: z.object({ number: z.string() }), body: ZEvidenceBody },
  async ({ principal, params, body, request }) => {
    const n = parseChangeNumber(params.number);
    const changeId = n === null ? null : await changeIdByNumber(n);
    if (!changeId) return apiError("not_found", `There is no change ${params.number}.`);
    const actor = { ...principal.user, role: principal.role };
    const result = await recordEvidence(actor, { ...body, changeId }, request, `api:${principal.tokenPrefix}`);
    return apiData({ change: result }, 201);
  },
);
