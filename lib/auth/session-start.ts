import { recordAudit, type RequestContext } from "../audit/record.ts";
import type { Prisma } from "../db/client.ts";
import { createSession } from "./sessions.ts";

export type SignInMethod =
  | "password+totp"
  | "password+recovery code"
  | "password+new authenticator"
  | "setup link"
  | "first admin setup";

/**
 * The one place a sign-in becomes a session: the Session row and its audit event, inside the
 * caller's transaction (which also holds whatever proved the second factor).
 */
export async function startSession(
  tx: Prisma.TransactionClient,
  user: { id: string; email: string },
  context: RequestContext,
  method: SignInMethod,
  token?: string,
): Promise<{ token: string; sessionId: string }> {
  const session = await createSession(tx, user.id, context, new Date(), token);
  await recordAudit(tx, {
    action: "auth.sign_in.succeeded",
    actor: { id: user.id, label: user.email },
    context,
    target: { type: "Session", id: session.sessionId },
    changes: { method },
  });
  return session;
}
