import { db, type Prisma } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { Role } from "../rbac/permissions.ts";
import { digestOf, snapshotOf, type ChangeSnapshot } from "./digest.ts";

/*
 * Reading a change with everything the rules need, and the one way to write to a change:
 * `mutateChange` compare-and-sets `revision` as the FIRST statement of its transaction. Winning
 * that update takes the row's lock (MySQL) or the write lock (SQLite) for the rest of the
 * transaction, so the rules then run on the current state and nobody else can act on the change
 * until commit. Losing it (someone acted in between) retries from a fresh read, or, when the caller
 * pinned the revision the person saw, refuses with a conflict.
 */

export type Tx = Prisma.TransactionClient;

export const CONFLICT_MESSAGE = "Someone else changed this change a moment ago; reload and try again.";

export const CHANGE_INCLUDE = {
  service: { select: { id: true, name: true, environment: true } },
  requester: { select: { id: true, name: true, email: true } },
  stakeholders: {
    include: { user: { select: { id: true, name: true, email: true, role: true, active: true } } },
    orderBy: { userId: "asc" },
  },
  approvals: {
    include: { user: { select: { id: true, name: true, email: true, role: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  },
  evidence: {
    where: { supersededAt: null },
    include: {
      file: { select: { id: true, fileName: true, sha256: true, size: true, contentType: true } },
      recordedBy: { select: { id: true, name: true } },
    },
    orderBy: [{ recordedAt: "asc" }, { id: "asc" }],
  },
} satisfies Prisma.ChangeRequestInclude;

export type LoadedChange = Prisma.ChangeRequestGetPayload<{ include: typeof CHANGE_INCLUDE }>;
export type LoadedApproval = LoadedChange["approvals"][number] & { user: { role: Role } };

export async function loadChange(tx: Tx, id: string): Promise<LoadedChange> {
  const change = await tx.changeRequest.findUnique({ where: { id }, include: CHANGE_INCLUDE });
  if (!change) throw new AppError("not_found", "That change request does not exist.");
  return change;
}

export function snapshotOfLoaded(change: LoadedChange): ChangeSnapshot {
  return snapshotOf(change, change.evidence);
}

/** What a decision is bound to: the digested content, plus the type (shown in "what changed since"). */
export function decisionSnapshot(change: LoadedChange): ChangeSnapshot {
  return { ...snapshotOfLoaded(change), type: change.type };
}

export function digestOfLoaded(change: LoadedChange): string {
  return digestOf(snapshotOfLoaded(change));
}

class RaceLost extends Error {}

function isRetryableDbConflict(err: unknown): boolean {
  // P2034: write conflict or deadlock (MySQL). Checked by code: two generated clients.
  return typeof err === "object" && err !== null && "code" in err && err.code === "P2034";
}

const ATTEMPTS = 12;

/**
 * Runs `fn` on the change inside one transaction that holds the change. `expectedRevision`: the
 * revision the person's form was drawn from; when given and no longer current, nothing happens
 * and the person is told to reload.
 */
export async function mutateChange<T>(
  changeId: string,
  expectedRevision: number | undefined,
  fn: (tx: Tx, change: LoadedChange) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const seen = await db.changeRequest.findUnique({ where: { id: changeId }, select: { revision: true } });
    if (!seen) throw new AppError("not_found", "That change request does not exist.");
    if (expectedRevision !== undefined && seen.revision !== expectedRevision) {
      throw new AppError("conflict", CONFLICT_MESSAGE);
    }
    try {
      return await db.$transaction(
        async (tx) => {
          const { count } = await tx.changeRequest.updateMany({
            where: { id: changeId, revision: seen.revision },
            data: { revision: { increment: 1 } },
          });
          if (count === 0) throw new RaceLost();
          return fn(tx, await loadChange(tx, changeId));
        },
        { maxWait: 10_000, timeout: 20_000 },
      );
    } catch (err) {
      const lost = err instanceof RaceLost || isRetryableDbConflict(err);
      if (!lost) throw err;
      if (expectedRevision !== undefined || attempt >= ATTEMPTS) throw new AppError("conflict", CONFLICT_MESSAGE);
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}
