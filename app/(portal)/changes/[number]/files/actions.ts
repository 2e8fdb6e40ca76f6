"use server";

import { revalidatePath } from "next/cache";
import { defineAction, type ActionResult } from "@/lib/actions/define-action";
import { formatChangeNumber } from "@/lib/changes/number";
import { ZUploadEvidenceFileInput } from "@/lib/evidence/schemas";
import { storeEvidenceFile, type UploadedEvidenceFile } from "@/lib/evidence/service";
import { changeRefFromParam } from "@/lib/evidence/upload";

const upload = defineAction(
  { name: "change.file_upload", permission: "change.create", schema: ZUploadEvidenceFileInput },
  async ({ user, input, request }) => {
    const ref = changeRefFromParam(input.number);
    const file = await storeEvidenceFile(user, ref, { file: input.file, name: input.file.name }, request);
    revalidatePath(`/changes/${formatChangeNumber(ref.number)}`);
    return file;
  },
);

/**
 * Uploads one evidence file from a form with fields `number` (CHG-000123) and `file`. The result's
 * data.id is what the evidence form then sends as fileId. Refusals (size, type, closed change)
 * come back as { ok: false, message, fieldErrors: { file } }.
 */
export async function uploadEvidenceFileAction(form: FormData): Promise<ActionResult<UploadedEvidenceFile>> {
  // formDataObject keeps only text fields, so the file is handed over as it came.
  return upload({ number: form.get("number"), file: form.get("file") });
}
