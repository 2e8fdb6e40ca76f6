import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { csvResponse } from "@/lib/export/csv";
import { startChangeExport } from "@/lib/changes/export";
import { ZChangeQuery } from "@/lib/changes/filters";

/** The change list as a streamed CSV download: every change matching the list's filters (audited). */
export const GET = defineSessionHandler(
  { name: "changes.export", permission: "change.read", query: ZChangeQuery },
  async ({ user, query, request }) => {
    const file = await startChangeExport(user, query, request);
    return csvResponse(file.stream, file.filename);
  },
);
