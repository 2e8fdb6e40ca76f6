import { recordAudit, type AuditActor, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { issueSetupToken, setupLinkFor } from "../auth/setup-tokens.ts";
import { db, Prisma } from "../db/client.ts";
import { serializableTransaction } from "../db/serializable.ts";
import { AppError } from "../errors.ts";
import { assertPermission } from "../rbac/assert.ts";
import { ROLE_LABELS } from "../rbac/permissions.ts";
import { revokeSessionsOf } from "../sessions/service.ts";
import type { TChangeRoleInput, TCreateUserInput, TUserIdInput } from "./schemas.ts";

/*
 * User administration. Every function here: permission -> rules -> one transaction that makes the
 * change and writes its audit event. Role, deactivation and MFA reset bite on the user's very next
 * request because resolveSession reads `active` and `role` from the database every time, and
 * deactivation and MFA reset also revoke the user's sessions outright.
 */

type Tx = Prisma.TransactionClient;

export type IssuedSetupLink = { userId: string; email: string; name: string; setupLink: string; expiresAt: Date };

function actorOf(user: CurrentUser): AuditActor {
  return { id: user.id, label: user.email };
}

function emailTaken(email: string): AppError {
  const message = `A user with the email ${email} already exists.`;
  return new AppError("invalid_input", message, { email: message });
}

async function findUser(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, active: true, passwordHash: true, totpSecretEnc: true },
  });
  if (!user) throw new AppError("not_found", "That user no longer exists.");
  return user;
}

function refuseSelf(actor: CurrentUser, userId: string, message: string): void {
  if (actor.id === userId) throw new AppError("invalid_input", message);
}

/** Throws (rolling the transaction back) when the change just made left no active administrator. */
async function assertAnActiveAdminRemains(tx: Tx, actor: CurrentUser, targetId: string): Promise<void> {
  if ((await tx.user.count({ where: { role: "ADMIN", active: true } })) > 0) return;
  throw new AppError(
    "conflict",
    actor.id === targetId
      ? "You are the last active administrator. Make someone else an Administrator first, or nobody could manage users and security settings."
      : "That would leave no active administrator. Make someone else an Administrator first.",
  );
}

async function issueLink(
  tx: Tx,
  actor: CurrentUser,
  user: { id: string; email: string; name: string },
  context: RequestContext,
  reason: string,
): Promise<IssuedSetupLink> {
  const { token, expiresAt } = await issueSetupToken(tx, { purpose: "ACCOUNT_SETUP", userId: user.id, createdById: actor.id });
  await recordAudit(tx, {
    action: "user.setup_link_issued",
    actor: actorOf(actor),
    context,
    target: { type: "User", id: user.id },
    // The token itself never enters the trail: it is a credential until used.
    changes: { email: user.email, reason, expiresAt: expiresAt.toISOString() },
  });
  return { userId: user.id, email: user.email, name: user.name, setupLink: setupLinkFor(token), expiresAt };
}

/** A new account with no password and no authenticator yet, and the one-time link to set both. */
export async function createUser(
  actor: CurrentUser,
  input: TCreateUserInput,
  context: RequestContext,
): Promise<IssuedSetupLink> {
  assertPermission(actor, "user.manage");
  const email = input.email.trim().toLowerCase();
  try {
    return await db.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken(email);
      const user = await tx.user.create({
        data: { email, name: input.name, role: input.role },
        select: { id: true, email: true, name: true },
      });
      await recordAudit(tx, {
        action: "user.created",
        actor: actorOf(actor),
        context,
        target: { type: "User", id: user.id },
        changes: { email, name: input.name, role: input.role },
      });
      return issueLink(tx, actor, user, context, "new account");
    });
  } catch (err) {
    // Two admins creating the same address at once: the unique index decides, same message.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw emailTaken(email);
    throw err;
  }
}

/** A fresh setup link for someone who has not finished setting up; earlier unused links stop working. */
export async function reissueSetupLink(
  actor: CurrentUser,
  input: TUserIdInput,
  context: RequestContext,
): Promise<IssuedSetupLink> {
  assertPermission(actor, "user.manage");
  refuseSelf(actor, input.userId, "You have already set up your account.");
  return db.$transaction(async (tx) => {
    const user = await findUser(tx, input.userId);
    if (!user.active) throw new AppError("invalid_input", `${user.name} is deactivated. Reactivate the account first.`);
    if (user.passwordHash && user.totpSecretEnc) {
      throw new AppError(
        "invalid_input",
        `${user.name} has already set up a password and an authenticator. To make them set up again, reset their MFA.`,
      );
    }
    return issueLink(tx, actor, user, context, "re-issued");
  });
}

export async function changeRole(
  actor: CurrentUser,
  input: TChangeRoleInput,
  context: RequestContext,
): Promise<{ from: string; to: string }> {
  assertPermission(actor, "user.manage");
  return serializableTransaction(async (tx) => {
    const user = await findUser(tx, input.userId);
    if (user.role === input.role) {
      throw new AppError("invalid_input", `${user.name} already has the role ${ROLE_LABELS[input.role]}.`);
    }
    await tx.user.update({ where: { id: user.id }, data: { role: input.role } });
    if (user.role === "ADMIN") await assertAnActiveAdminRemains(tx, actor, user.id);
    await recordAudit(tx, {
      action: "user.role_changed",
      actor: actorOf(actor),
      context,
      target: { type: "User", id: user.id },
      changes: { email: user.email, from: user.role, to: input.role },
    });
    return { from: user.role, to: input.role };
  });
}

/** Signs the user out everywhere at once and keeps them out; unused setup links stop working too. */
export async function deactivateUser(
  actor: CurrentUser,
  input: TUserIdInput,
  context: RequestContext,
): Promise<{ sessionsRevoked: number }> {
  assertPermission(actor, "user.manage");
  refuseSelf(actor, input.userId, "You cannot deactivate your own account. Another administrator can do it.");
  return serializableTransaction(async (tx) => {
    const user = await findUser(tx, input.userId);
    if (!user.active) throw new AppError("invalid_input", `${user.name} is already deactivated.`);
    const now = new Date();
    await tx.user.update({ where: { id: user.id }, data: { active: false } });
    if (user.role === "ADMIN") await assertAnActiveAdminRemains(tx, actor, user.id);
    const sessionsRevoked = await revokeSessionsOf(tx, user.id, { now });
    await tx.setupToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } });
    await recordAudit(tx, {
      action: "user.deactivated",
      actor: actorOf(actor),
      context,
      target: { type: "User", id: user.id },
      changes: { email: user.email, sessionsRevoked },
    });
    return { sessionsRevoked };
  });
}

export async function reactivateUser(actor: CurrentUser, input: TUserIdInput, context: RequestContext): Promise<void> {
  assertPermission(actor, "user.manage");
  await db.$transaction(async (tx) => {
    const user = await findUser(tx, input.userId);
    if (user.active) throw new AppError("invalid_input", `${user.name} is already active.`);
    await tx.user.update({ where: { id: user.id }, data: { active: true } });
    await recordAudit(tx, {
      action: "user.reactivated",
      actor: actorOf(actor),
      context,
      target: { type: "User", id: user.id },
      changes: { email: user.email },
    });
  });
}

/**
 * For a lost or compromised authenticator. Clears the TOTP seed, the recovery codes AND the
 * password, revokes every session, and issues a new setup link: the link (handed over by the
 * admin, out of band) becomes the only way back in. Keeping the password would let whoever knows
 * it enrol their own authenticator before the real owner does.
 */
export async function resetMfa(
  actor: CurrentUser,
  input: TUserIdInput,
  context: RequestContext,
): Promise<IssuedSetupLink & { sessionsRevoked: number }> {
  assertPermission(actor, "user.manage");
  refuseSelf(
    actor,
    input.userId,
    "You cannot reset your own MFA: it would sign you out with no way back in. Ask another administrator.",
  );
  return db.$transaction(async (tx) => {
    const user = await findUser(tx, input.userId);
    if (!user.active) throw new AppError("invalid_input", `${user.name} is deactivated. Reactivate the account first.`);
    await tx.user.update({
      where: { id: user.id },
      data: { totpSecretEnc: null, totpLastStep: null, mfaEnrolledAt: null, passwordHash: null },
    });
    const { count: recoveryCodesDeleted } = await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    const sessionsRevoked = await revokeSessionsOf(tx, user.id);
    await recordAudit(tx, {
      action: "auth.mfa.reset",
      actor: actorOf(actor),
      context,
      target: { type: "User", id: user.id },
      changes: { email: user.email, sessionsRevoked, recoveryCodesDeleted, passwordCleared: true },
    });
    return { ...(await issueLink(tx, actor, user, context, "MFA reset")), sessionsRevoked };
  });
}

/** Signs a user out of every device, e.g. after a suspected compromise; they can sign in again. */
export async function revokeUserSessions(
  actor: CurrentUser,
  input: TUserIdInput,
  context: RequestContext,
): Promise<{ count: number }> {
  assertPermission(actor, "user.manage");
  refuseSelf(actor, input.userId, "To sign out your own other sessions, use Your account > Sessions.");
  return db.$transaction(async (tx) => {
    const user = await findUser(tx, input.userId);
    const count = await revokeSessionsOf(tx, user.id);
    await recordAudit(tx, {
      action: "session.revoked_all",
      actor: actorOf(actor),
      context,
      target: { type: "User", id: user.id },
      changes: { email: user.email, count, by: "administrator" },
    });
    return { count };
  });
}
