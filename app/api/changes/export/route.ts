import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { startChangeExport } from "@/lib/changes/export";
import { ZChangeQuery } from "@/lib/changes/filters";

/** The change list as a streamed CSV download: every change matching the list's filters (audited). */
export const GET = defineSessionHandler(
  { name: "changes.export", permission: "change.read", query: ZChangeQuery },
  async ({ user, query, request }) => {
    const file = await startChangeExport(user, query, request);
    return new Response(file.stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${file.filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);
