import { recordAudit, type RequestContext } from "../audit/record.ts";
import { db } from "../db/client.ts";
import type { Permission } from "./permissions.ts";

/** A refused permission check is itself an audit event: probing shows up in the trail. */
export async function auditDenied(
  actor: { id: string | null; label: string },
  permission: Permission,
  what: string,
  context: RequestContext,
): Promise<void> {
  await db.$transaction((tx) =>
    recordAudit(tx, { action: "access.denied", actor, context, changes: { permission, attempted: what } }),
  );
}
