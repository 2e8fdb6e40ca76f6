import type { Prisma } from "../db/client.ts";

type Reader = Pick<Prisma.TransactionClient, "freezeWindow">;

export type FreezeOverlap = { id: string; startsAt: Date; endsAt: Date; environment: "PRODUCTION" | "STAGING" | null; reason: string };

/**
 * Active (not cancelled) freeze windows that overlap [start, end) and apply to `environment`
 * (a window with no environment applies to every one). Touching ends do not overlap: a change
 * ending when a freeze starts is fine.
 */
export function overlappingFreezes(
  tx: Reader,
  environment: "PRODUCTION" | "STAGING",
  start: Date,
  end: Date,
): Promise<FreezeOverlap[]> {
  return tx.freezeWindow.findMany({
    where: {
      cancelledAt: null,
      startsAt: { lt: end },
      endsAt: { gt: start },
      OR: [{ environment: null }, { environment }],
    },
    select: { id: true, startsAt: true, endsAt: true, environment: true, reason: true },
    orderBy: { startsAt: "asc" },
  });
}
