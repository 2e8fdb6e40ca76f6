"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { ZRevokeSessionInput } from "@/lib/sessions/schemas";
import { revokeOtherOwnSessions, revokeOwnSession } from "@/lib/sessions/service";
import { z } from "zod";

// Ending one's own sessions only takes access away, so it needs no step-up.
const own = { permission: "session.manage_own" } as const;

export const revokeSessionAction = defineAction({ ...own, name: "session.revoke", schema: ZRevokeSessionInput }, async (c) => {
  const result = await revokeOwnSession(c.user, c.input, c.request);
  revalidatePath("/account/sessions");
  return result;
});

export const revokeOtherSessionsAction = defineAction({ ...own, name: "session.revoke_others", schema: z.object({}) }, async (c) => {
  const result = await revokeOtherOwnSessions(c.user, c.request);
  revalidatePath("/account/sessions");
  return result;
});
