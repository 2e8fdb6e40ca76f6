import { db, Prisma } from "./client.ts";

type Tx = Prisma.TransactionClient;

const ATTEMPTS = 3;

/**
 * A transaction whose reads cannot go stale before it commits: for invariants that span rows,
 * such as "at least one active administrator", that two concurrent transactions could each
 * believe the other keeps true. MySQL reports the loser as a write conflict or deadlock (P2034):
 * it is retried, and then sees the winner's change. SQLite serialises writers anyway.
 */
export async function serializableTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(fn, { isolationLevel: Prisma.TransactionIsolationLevel.Serializable });
    } catch (err) {
      const conflict = err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2034";
      if (!conflict || attempt >= ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
    }
  }
}
