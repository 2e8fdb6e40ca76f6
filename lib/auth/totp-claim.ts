import type { Prisma } from "../db/client.ts";

/**
 * Records `step` as the user's last accepted TOTP step, only if it is newer than the stored one.
 * A compare-and-set in one UPDATE: of two requests presenting the same code, exactly one wins.
 */
export async function claimTotpStep(tx: Prisma.TransactionClient, userId: string, step: number): Promise<boolean> {
  const claimed = await tx.user.updateMany({
    where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return claimed.count === 1;
}
