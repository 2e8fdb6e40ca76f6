import { z } from "zod";
import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { startAuditExport, ZExportFormat } from "@/lib/audit/export";
import { ZAuditFilter } from "@/lib/audit/filters";

const ZExportQuery = z.intersection(ZAuditFilter, z.object({ format: ZExportFormat }));

/** The audit trail as a streamed CSV or JSON download (the viewer's filters; step-up; audited). */
export const GET = defineSessionHandler(
  { name: "audit.export", permission: "audit.export", stepUp: true, query: ZExportQuery },
  async ({ user, query: { format, ...filter }, request }) => {
    const file = await startAuditExport(user, filter, format, request);
    return new Response(file.stream, {
      headers: {
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);
