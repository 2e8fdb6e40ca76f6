import { recordAudit, type RequestContext } from "../audit/record.ts";
import { openSecret } from "../crypto/secret-box.ts";
import { db } from "../db/client.ts";
import { sessionPolicy } from "../settings/session-policy.ts";
import type { CurrentUser } from "./sessions.ts";
import { matchTotp } from "./totp.ts";
import { claimTotpStep } from "./totp-claim.ts";

/**
 * Step-up: sensitive actions (approvals, deployments, security settings, user admin, audit
 * export, compliance sign-off) need a TOTP code entered on this session within the last few
 * minutes (the session policy's step-up window).
 */
export async function hasFreshStepUp(user: CurrentUser, now = new Date()): Promise<boolean> {
  if (!user.stepUpAt) return false;
  const windowMs = (await sessionPolicy()).stepUpMinutes * 60_000;
  return now.getTime() - user.stepUpAt.getTime() <= windowMs;
}

export async function performStepUp(
  user: CurrentUser,
  code: string,
  context: RequestContext,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const record = await db.user.findUnique({
    where: { id: user.id },
    select: { totpSecretEnc: true, totpLastStep: true },
  });
  const step = record?.totpSecretEnc
    ? await matchTotp(openSecret(record.totpSecretEnc), code, record.totpLastStep)
    : null;
  const ok =
    step != null &&
    (await db.$transaction(async (tx) => {
      if (!(await claimTotpStep(tx, user.id, step))) return false;
      await tx.session.update({ where: { id: user.sessionId }, data: { stepUpAt: new Date() } });
      await recordAudit(tx, {
        action: "auth.step_up.succeeded",
        actor: { id: user.id, label: user.email },
        context,
        target: { type: "Session", id: user.sessionId },
      });
      return true;
    }));
  if (ok) return { ok: true };
  await db.$transaction((tx) =>
    recordAudit(tx, {
      action: "auth.step_up.failed",
      actor: { id: user.id, label: user.email },
      context,
      target: { type: "Session", id: user.sessionId },
      changes: { reason: step == null ? "wrong code" : "code already used" },
    }),
  );
  return { ok: false, message: "That code is not valid. Wait for a new code in your authenticator app and try again." };
}
