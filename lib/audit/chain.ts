import { hash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type ChainedFields = {
  seq: number;
  at: Date;
  actorId: string | null;
  actorLabel: string;
  ip: string;
  userAgent: string;
  action: string;
  targetType: string;
  targetId: string;
  changes: string;
  prevHash: string;
};

/**
 * SHA-256 over a canonical encoding of every stored field plus the previous hash: changing,
 * removing or reordering any event breaks every hash after it.
 */
export function eventHash(e: ChainedFields): string {
  const canonical = JSON.stringify([
    e.seq,
    e.at.toISOString(),
    e.actorId,
    e.actorLabel,
    e.ip,
    e.userAgent,
    e.action,
    e.targetType,
    e.targetId,
    e.changes,
    e.prevHash,
  ]);
  return hash("sha256", canonical, "hex"); // one-shot: ~2.5x faster than createHash per event
}
