import { z } from "zod";
import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { openEvidenceFile } from "@/lib/evidence/service";
import { downloadHeaders } from "@/lib/evidence/download";
import { changeRefFromParam } from "@/lib/evidence/upload";

/**
 * GET /changes/CHG-000123/files/<fileId>: an evidence file, for a signed-in user with change.read,
 * only when it belongs to that change. Always an attachment, under a sandbox CSP and nosniff, so an
 * uploaded HTML file never runs in the portal's origin. Audited (change.file_downloaded).
 */
export const GET = defineSessionHandler(
  {
    name: "change.file_download",
    permission: "change.read",
    query: z.object({}),
    params: z.object({ number: z.string(), fileId: z.string().min(1).max(64) }),
  },
  async ({ user, params, request }) => {
    const file = await openEvidenceFile(user, changeRefFromParam(params.number), params.fileId, request);
    return new Response(file.stream, { headers: downloadHeaders(file) });
  },
);
