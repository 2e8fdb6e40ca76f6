import { db } from "../db/client.ts";

export async function listUsers() {
  const users = await db.user.findMany({
    select: { id: true, email: true, name: true, role: true, active: true, totpSecretEnc: true, createdAt: true },
    orderBy: { email: "asc" },
  });
  return users.map(({ totpSecretEnc, ...u }) => ({ ...u, mfaEnrolled: totpSecretEnc != null }));
}
