"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { ZChangeRoleInput, ZCreateUserInput, ZUserIdInput } from "@/lib/users/schemas";
import {
  changeRole,
  createUser,
  deactivateUser,
  reactivateUser,
  reissueSetupLink,
  resetMfa,
  revokeUserSessions,
} from "@/lib/users/service";

// Every user-admin mutation needs a fresh step-up: a hijacked admin session alone cannot use them.
const admin = { permission: "user.manage", stepUp: true } as const;

async function refreshed<T>(result: Promise<T>): Promise<T> {
  const value = await result;
  revalidatePath("/admin", "layout");
  return value;
}

export const createUserAction = defineAction({ ...admin, name: "user.create", schema: ZCreateUserInput }, (c) =>
  refreshed(createUser(c.user, c.input, c.request)),
);

export const reissueSetupLinkAction = defineAction({ ...admin, name: "user.reissue_setup_link", schema: ZUserIdInput }, (c) =>
  refreshed(reissueSetupLink(c.user, c.input, c.request)),
);

export const changeRoleAction = defineAction({ ...admin, name: "user.change_role", schema: ZChangeRoleInput }, (c) =>
  refreshed(changeRole(c.user, c.input, c.request)),
);

export const deactivateUserAction = defineAction({ ...admin, name: "user.deactivate", schema: ZUserIdInput }, (c) =>
  refreshed(deactivateUser(c.user, c.input, c.request)),
);

export const reactivateUserAction = defineAction({ ...admin, name: "user.reactivate", schema: ZUserIdInput }, (c) =>
  refreshed(reactivateUser(c.user, c.input, c.request)),
);

export const resetMfaAction = defineAction({ ...admin, name: "user.reset_mfa", schema: ZUserIdInput }, (c) =>
  refreshed(resetMfa(c.user, c.input, c.request)),
);

export const revokeUserSessionsAction = defineAction(
  { ...admin, name: "user.revoke_sessions", schema: ZUserIdInput },
  (c) => refreshed(revokeUserSessions(c.user, c.input, c.request)),
);
