import type { CurrentUser } from "../auth/sessions.ts";
import { recordAudit, type RequestContext } from "../audit/record.ts";
import { db, type Db } from "../db/client.ts";
import { csvLine } from "../export/csv.ts";
import { assertPermission } from "../rbac/assert.ts";
import { changeQueryParams, describeChangeQuery, type TChangeQuery } from "./filters.ts";
import { allMatchingChanges, type ChangeListRow } from "./list.ts";

export const CHANGE_CSV_COLUMNS = [
  "number", "title", "service", "environment", "type", "risk", "status",
  "requester", "requester_email", "planned_start", "planned_end", "created_at", "retrospective_due",
] as const;

function csvRow(c: ChangeListRow): string {
  return csvLine([
    c.reference,
    c.title,
    c.service.name,
    c.service.environment,
    c.type,
    c.risk,
    c.status,
    c.requester.name,
    c.requester.email,
    c.plannedStart.toISOString(),
    c.plannedEnd.toISOString(),
    c.createdAt.toISOString(),
    c.flags.retrospectiveDue ? "yes" : "no",
  ]);
}

/**
 * Every matching change as CSV, in the list's order, fetched 1,000 at a time as the client reads
 * (pull-based: a slow download never buffers the list in memory). Cells are neutralised against
 * formula injection (lib/export/csv.ts): titles are typed by people.
 */
export function changeCsvStream(query: TChangeQuery, client: Db = db, batch = 1_000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = allMatchingChanges(query, batch, client);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(CHANGE_CSV_COLUMNS)));
    },
    async pull(controller) {
      const { value, done } = await batches.next();
      if (done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(value.map(csvRow).join("")));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}

export type ChangeExport = { stream: ReadableStream<Uint8Array>; filename: string };

/**
 * Records who exported which filter, then streams it. As with the audit export, the event is
 * written before the first byte: a cut-off download must still be on record.
 */
export async function startChangeExport(
  user: Pick<CurrentUser, "id" | "email" | "role">,
  query: TChangeQuery,
  context: RequestContext,
  now = new Date(),
): Promise<ChangeExport> {
  assertPermission(user, "change.read");
  await db.$transaction((tx) =>
    recordAudit(tx, {
      action: "change.exported",
      actor: { id: user.id, label: user.email },
      context,
      changes: { format: "csv", filters: describeChangeQuery(query) },
    }),
  );
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return { stream: changeCsvStream(query), filename: `changes-${stamp}.csv` };
}

/** The download URL for the current filters (app/api/changes/export). */
export function changeExportHref(query: TChangeQuery): string {
  const params = changeQueryParams(query).toString();
  return `/api/changes/export${params ? `?${params}` : ""}`;
}
