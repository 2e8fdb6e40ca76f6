import { z } from "zod";
import type { CurrentUser } from "../auth/sessions.ts";
import { db } from "../db/client.ts";
import type { ChainedFields } from "./chain.ts";
import { csvLine } from "../export/csv.ts";
import { describeFilter, filterParams, type TAuditFilter } from "./filters.ts";
import { auditWhere, type AuditWhere } from "./queries.ts";
import { recordAudit, type RequestContext } from "./record.ts";

export const ZExportFormat = z.enum(["csv", "json"], { message: "Choose csv or json." });
export type TExportFormat = z.infer<typeof ZExportFormat>;

/** Every stored field, hashes included, so an export can be checked against the chain offline. */
const COLUMNS = [
  "seq", "at", "actorId", "actorLabel", "ip", "userAgent", "action",
  "targetType", "targetId", "changes", "prevHash", "hash",
] as const;

const BATCH = 1_000;

/** A stored event: the chained fields plus its own hash. */
type ExportRow = ChainedFields & { hash: string };

function encodeRow(format: TExportFormat, row: ExportRow, first: boolean): string {
  if (format === "csv") {
    return csvLine(COLUMNS.map((c) => (c === "at" ? row.at.toISOString() : row[c])));
  }
  // `changes` stays the exact stored string: re-serialising it could change the bytes the hash covers.
  return `${first ? "" : ",\n"}${JSON.stringify({ ...row, at: row.at.toISOString() })}`;
}

/**
 * The matching events up to `throughSeq`, oldest first, fetched 1,000 at a time by keyset as the
 * client reads (pull-based, so a slow download never buffers the trail in memory).
 */
export function auditExportStream(where: AuditWhere | null, format: TExportFormat, throughSeq: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = 0;
  let first = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(format === "csv" ? csvLine(COLUMNS) : "[\n"));
    },
    async pull(controller) {
      const rows = where
        ? await db.auditEvent.findMany({
            where: { AND: [where, { seq: { gt: after, lte: throughSeq } }] },
            orderBy: { seq: "asc" },
            take: BATCH,
          })
        : [];
      let chunk = "";
      for (const row of rows) {
        chunk += encodeRow(format, row, first);
        first = false;
      }
      if (chunk) controller.enqueue(encoder.encode(chunk));
      if (rows.length < BATCH) {
        if (format === "json") controller.enqueue(encoder.encode("\n]\n"));
        controller.close();
        return;
      }
      after = rows[rows.length - 1]!.seq;
    },
  });
}

export type AuditExport = { stream: ReadableStream<Uint8Array>; filename: string; contentType: string };

/**
 * Records the export, then streams it. The event is written BEFORE streaming: the row count is
 * only known once the last byte is sent, but a download can be cut off or the server can stop
 * half-way, and "who pulled which part of the trail" must be on record either way. The event's
 * own sequence number fixes the snapshot (only events before it are exported), so the filters plus
 * that number say exactly which rows the file holds and the count can always be recomputed.
 * The caller has checked the permission and step-up.
 */
export async function startAuditExport(
  user: Pick<CurrentUser, "id" | "email">,
  filter: TAuditFilter,
  format: TExportFormat,
  context: RequestContext,
  now = new Date(),
): Promise<AuditExport> {
  const where = await auditWhere(filter);
  const { seq } = await db.$transaction((tx) =>
    recordAudit(tx, {
      action: "audit.exported",
      actor: { id: user.id, label: user.email },
      context,
      changes: { format, filters: describeFilter(filter), rows: "the matching events before this one" },
    }),
  );
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return {
    stream: auditExportStream(where, format, seq - 1),
    filename: `audit-trail-${stamp}.${format}`,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
  };
}

/** The download URL for a filtered export (app/api/audit/export). */
export function auditExportHref(filter: TAuditFilter, format: TExportFormat): string {
  const params = filterParams(filter);
  params.set("format", format);
  return `/api/audit/export?${params}`;
}
