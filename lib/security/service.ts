import type { AuditAction } from "../audit/actions.ts";
import { recordAudit, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { db, Prisma } from "../db/client.ts";
import { serializableTransaction } from "../db/serializable.ts";
import { AppError } from "../errors.ts";
import { assertPermission } from "../rbac/assert.ts";
import {
  defaultSessionPolicy,
  forgetCachedSessionPolicy,
  SESSION_POLICY_KEY,
  ZSessionPolicy,
  type TSessionPolicy,
} from "../settings/session-policy.ts";
import { callerUnder, compileIpPolicy, envTrustedProxies, forgetCachedIpPolicy, type Caller } from "./ip-policy.ts";
import type { TIpRuleIdInput, TIpRuleInput } from "./schemas.ts";

/*
 * Security settings: the IP allow-list, trusted proxies and the session policy. IP rule changes
 * are checked against the admin making them: a change that would refuse their own next request
 * is not saved. Each change clears this instance's cached rules; other instances pick it up
 * within the cache's few seconds.
 */

type Tx = Prisma.TransactionClient;
export type IpRuleKind = "ALLOW" | "TRUSTED_PROXY";

const WHAT: Record<IpRuleKind, { list: string; audit: AuditAction }> = {
  ALLOW: { list: "the IP allow-list", audit: "settings.ip_allowlist_changed" },
  TRUSTED_PROXY: { list: "the trusted proxies", audit: "settings.trusted_proxies_changed" },
};

function describe(rule: { cidr: string; label: string }): string {
  return rule.label ? `${rule.cidr} (${rule.label})` : rule.cidr;
}

async function rulesOf(tx: Tx) {
  return tx.ipRule.findMany({ select: { id: true, kind: true, cidr: true, label: true }, orderBy: { createdAt: "asc" } });
}

type Rule = Awaited<ReturnType<typeof rulesOf>>[number];

/** Refuses a rule set under which the admin saving it would be turned away. */
function assertCallerKeepsAccess(after: Rule[], caller: Caller, kind: IpRuleKind): void {
  const allow = after.filter((r) => r.kind === "ALLOW").map((r) => r.cidr);
  const proxies = [...after.filter((r) => r.kind === "TRUSTED_PROXY").map((r) => r.cidr), ...envTrustedProxies()];
  const { allowed, clientIp } = callerUnder(compileIpPolicy(allow, proxies), caller);
  if (allowed) return;
  const ip = clientIp || "unknown";
  throw new AppError(
    "conflict",
    kind === "ALLOW"
      ? `Not saved: this would lock you out. Your IP address, ${ip}, is not inside any range on the list. Add a range that includes ${ip} first.`
      : `Not saved: this would lock you out. With these trusted proxies the portal would see your IP address as ${ip}, which is not on the IP allow-list.`,
  );
}

async function changeRules(
  actor: CurrentUser,
  kind: IpRuleKind,
  caller: Caller,
  context: RequestContext,
  change: (tx: Tx, before: Rule[]) => Promise<{ after: Rule[]; summary: Record<string, string> }>,
): Promise<void> {
  assertPermission(actor, "security.manage");
  await serializableTransaction(async (tx) => {
    const before = await rulesOf(tx);
    const { after, summary } = await change(tx, before);
    assertCallerKeepsAccess(after, caller, kind);
    const listOf = (rules: Rule[]) => rules.filter((r) => r.kind === kind).map(describe);
    await recordAudit(tx, {
      action: WHAT[kind].audit,
      actor: { id: actor.id, label: actor.email },
      context,
      target: { type: "IpRule", id: kind },
      changes: { ...summary, before: listOf(before), after: listOf(after) },
    });
  });
  forgetCachedIpPolicy();
}

export async function addIpRule(
  actor: CurrentUser,
  kind: IpRuleKind,
  input: TIpRuleInput,
  caller: Caller,
  context: RequestContext,
): Promise<{ cidr: string }> {
  const duplicate = () => {
    const message = `${input.cidr} is already on ${WHAT[kind].list}.`;
    return new AppError("invalid_input", message, { cidr: message });
  };
  try {
    await changeRules(actor, kind, caller, context, async (tx, before) => {
      if (before.some((r) => r.kind === kind && r.cidr === input.cidr)) throw duplicate();
      const rule = await tx.ipRule.create({
        data: { kind, cidr: input.cidr, label: input.label, createdById: actor.id },
        select: { id: true, kind: true, cidr: true, label: true },
      });
      return { after: [...before, rule], summary: { added: describe(rule) } };
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw duplicate();
    throw err;
  }
  return { cidr: input.cidr };
}

export async function removeIpRule(
  actor: CurrentUser,
  kind: IpRuleKind,
  input: TIpRuleIdInput,
  caller: Caller,
  context: RequestContext,
): Promise<{ cidr: string }> {
  let removed = "";
  await changeRules(actor, kind, caller, context, async (tx, before) => {
    const rule = before.find((r) => r.id === input.ruleId && r.kind === kind);
    if (!rule) throw new AppError("not_found", "That range is no longer on the list.");
    await tx.ipRule.delete({ where: { id: rule.id } });
    removed = rule.cidr;
    return { after: before.filter((r) => r.id !== rule.id), summary: { removed: describe(rule) } };
  });
  return { cidr: removed };
}

async function storedSessionPolicy(tx: Tx): Promise<TSessionPolicy> {
  const row = await tx.setting.findUnique({ where: { key: SESSION_POLICY_KEY } });
  const parsed = row ? ZSessionPolicy.safeParse(JSON.parse(row.value)) : null;
  return parsed?.success ? parsed.data : defaultSessionPolicy();
}

/** New timeouts apply to every session from its next request (idle) or from now (absolute, new sessions). */
export async function saveSessionPolicy(
  actor: CurrentUser,
  input: TSessionPolicy,
  context: RequestContext,
): Promise<{ changed: boolean }> {
  assertPermission(actor, "security.manage");
  const changed = await db.$transaction(async (tx) => {
    const before = await storedSessionPolicy(tx);
    const after = ZSessionPolicy.parse(input);
    if (JSON.stringify(before) === JSON.stringify(after)) return false;
    const value = JSON.stringify(after);
    await tx.setting.upsert({
      where: { key: SESSION_POLICY_KEY },
      create: { key: SESSION_POLICY_KEY, value, updatedById: actor.id },
      update: { value, updatedById: actor.id },
    });
    await recordAudit(tx, {
      action: "settings.session_policy_changed",
      actor: { id: actor.id, label: actor.email },
      context,
      target: { type: "Setting", id: SESSION_POLICY_KEY },
      changes: { before, after },
    });
    return true;
  });
  if (changed) forgetCachedSessionPolicy();
  return { changed };
}
