import { z } from "zod";
import { defineHandler } from "@/lib/api/define-handler";
import { apiData } from "@/lib/api/http";
import { storeEvidenceFile } from "@/lib/evidence/service";
import { changeRefFromParam, fileFromForm, UPLOAD_ENVELOPE_BYTES } from "@/lib/evidence/upload";
import { evidenceMaxBytes } from "@/lib/evidence/storage";

/**
 * POST /api/v1/changes/CHG-000123/files (multipart/form-data, field "file"): stores an evidence
 * file for a pipeline and answers 201 `{ data: { file: { id, fileName, size, sha256, contentType } } }`;
 * the id is what checklist evidence then references as fileId.
 */
export const POST = defineHandler(
  {
    name: "api.changes.files.upload",
    permission: "change.create",
    params: z.object({ number: z.string() }),
    form: { maxBytes: () => evidenceMaxBytes() + UPLOAD_ENVELOPE_BYTES },
  },
  async ({ principal, params, form, request }) => {
    const file = await storeEvidenceFile(
      { id: principal.user.id, email: principal.user.email, role: principal.role, via: `API token ${principal.tokenPrefix}` },
      changeRefFromParam(params.number),
      fileFromForm(form),
      request,
    );
    return apiData({ file }, 201);
  },
);
