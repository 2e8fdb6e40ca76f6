"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { requestCaller } from "@/lib/security/request-caller";
import { ZIpRuleIdInput, ZIpRuleInput } from "@/lib/security/schemas";
import { addIpRule, removeIpRule, saveSessionPolicy } from "@/lib/security/service";
import { ZSessionPolicy } from "@/lib/settings/session-policy";

const security = { permission: "security.manage", stepUp: true } as const;

async function refreshed<T>(result: Promise<T>): Promise<T> {
  const value = await result;
  revalidatePath("/admin/security");
  return value;
}

export const saveSessionPolicyAction = defineAction(
  { ...security, name: "settings.session_policy", schema: ZSessionPolicy },
  (c) => refreshed(saveSessionPolicy(c.user, c.input, c.request)),
);

export const addAllowRuleAction = defineAction({ ...security, name: "settings.ip_allowlist.add", schema: ZIpRuleInput }, async (c) =>
  refreshed(addIpRule(c.user, "ALLOW", c.input, await requestCaller(), c.request)),
);

export const removeAllowRuleAction = defineAction(
  { ...security, name: "settings.ip_allowlist.remove", schema: ZIpRuleIdInput },
  async (c) => refreshed(removeIpRule(c.user, "ALLOW", c.input, await requestCaller(), c.request)),
);

export const addTrustedProxyAction = defineAction(
  { ...security, name: "settings.trusted_proxies.add", schema: ZIpRuleInput },
  async (c) => refreshed(addIpRule(c.user, "TRUSTED_PROXY", c.input, await requestCaller(), c.request)),
);

export const removeTrustedProxyAction = defineAction(
  { ...security, name: "settings.trusted_proxies.remove", schema: ZIpRuleIdInput },
  async (c) => refreshed(removeIpRule(c.user, "TRUSTED_PROXY", c.input, await requestCaller(), c.request)),
);
