import { z } from "zod";
import type { RequestContext } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { startSession, type SignInMethod } from "./session-start.ts";
import { hashToken, newSessionToken } from "./sessions.ts";
import { resetAccount } from "./throttle.ts";
import { openTicket, sealTicket } from "./ticket.ts";

/**
 * After enrolment the person must see and save their recovery codes before they get a session.
 * The enrolment step therefore returns a handoff ticket instead of a session; "I have saved these"
 * redeems it. The ticket carries a session token generated in advance, and Session.tokenHash is
 * unique, so a handoff makes one session at most however often it is replayed.
 */
const HANDOFF_TTL_MS = 30 * 60_000;

const ZHandoff = z.object({
  uid: z.string(),
  sid: z.string(),
  enrolledAt: z.number(),
  method: z.enum(["password+new authenticator", "setup link", "first admin setup"]),
});

export function issueHandoff(userId: string, enrolledAt: Date, method: SignInMethod): string {
  return sealTicket("handoff", { uid: userId, sid: newSessionToken(), enrolledAt: enrolledAt.getTime(), method }, HANDOFF_TTL_MS);
}

const EXPIRED = "This sign-in has expired. Sign in with your password and authenticator code.";

export async function redeemHandoff(
  handoff: string,
  context: RequestContext,
): Promise<{ ok: true; token: string; userId: string } | { ok: false; message: string }> {
  const claims = ZHandoff.safeParse(openTicket("handoff", handoff));
  if (!claims.success) return { ok: false, message: EXPIRED };
  const { uid, sid, enrolledAt, method } = claims.data;
  const user = await db.user.findUnique({
    where: { id: uid },
    select: { id: true, email: true, active: true, mfaEnrolledAt: true },
  });
  // An MFA reset or a newer enrolment since then makes the handoff worthless.
  if (!user?.active || user.mfaEnrolledAt?.getTime() !== enrolledAt) return { ok: false, message: EXPIRED };
  if (await db.session.findUnique({ where: { tokenHash: hashToken(sid) }, select: { id: true } })) {
    return { ok: false, message: EXPIRED };
  }
  try {
    const session = await db.$transaction((tx) => startSession(tx, user, context, method, sid));
    await resetAccount(user.email);
    return { ok: true, token: session.token, userId: user.id };
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, message: EXPIRED }; // redeemed twice at once
    throw err;
  }
}
