import { db } from "../db/client.ts";

export type AuditRow = {
  seq: number;
  at: Date;
  actorLabel: string;
  ip: string;
  action: string;
  targetType: string;
  targetId: string;
  changes: string;
};

/** Newest first, keyset-paginated on seq so deep pages cost the same as the first. */
export function latestAuditEvents(limit = 50, beforeSeq?: number): Promise<AuditRow[]> {
  return db.auditEvent.findMany({
    where: beforeSeq ? { seq: { lt: beforeSeq } } : undefined,
    select: {
      seq: true,
      at: true,
      actorLabel: true,
      ip: true,
      action: true,
      targetType: true,
      targetId: true,
      changes: true,
    },
    orderBy: { seq: "desc" },
    take: limit,
  });
}
