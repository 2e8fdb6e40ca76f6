import type { Prisma } from "../db/client.ts";
import { eventHash } from "./chain.ts";
import type { AuditAction } from "./actions.ts";

export type AuditActor = { id: string | null; label: string };
export type RequestContext = { ip: string; userAgent: string };

export type AuditInput = {
  action: AuditAction;
  actor: AuditActor;
  context: RequestContext;
  target?: { type: string; id: string };
  /** What changed, for people reading the trail. Never secrets or passwords. */
  changes?: Record<string, unknown>;
};

type Tx = Prisma.TransactionClient;

/**
 * Appends one event to the chain inside the caller's transaction, so the event and the change it
 * records commit or roll back together. Bumping the head row first takes its lock, which
 * serialises concurrent writers: no two events ever share a predecessor.
 */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<{ seq: number; hash: string }> {
  const head = await tx.auditHead.update({ where: { id: 1 }, data: { seq: { increment: 1 } } });
  const prevHash = head.hash; // still the previous event's: this transaction sets it below
  const at = new Date();
  const fields = {
    seq: head.seq,
    at,
    actorId: input.actor.id,
    actorLabel: input.actor.label.slice(0, 191),
    ip: input.context.ip.slice(0, 191),
    userAgent: input.context.userAgent.slice(0, 1000),
    action: input.action,
    targetType: input.target?.type ?? "",
    targetId: input.target?.id ?? "",
    changes: JSON.stringify(input.changes ?? {}),
    prevHash,
  };
  const hash = eventHash(fields);
  await tx.auditEvent.create({ data: { ...fields, hash } });
  await tx.auditHead.update({ where: { id: 1 }, data: { hash } });
  return { seq: head.seq, hash };
}
