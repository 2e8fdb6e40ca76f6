"use server";

import { defineAction } from "@/lib/actions/define-action";
import { changePassword, regenerateRecoveryCodes } from "@/lib/auth/account-security";
import { ZChangePasswordInput, ZNoInput } from "@/lib/auth/schemas";

export const changePasswordAction = defineAction(
  { name: "auth.password.change", permission: "session.manage_own", schema: ZChangePasswordInput },
  ({ user, input, request }) => changePassword(user, input, request),
);

export const regenerateRecoveryCodesAction = defineAction(
  { name: "auth.recovery_codes.regenerate", permission: "session.manage_own", schema: ZNoInput, stepUp: true },
  ({ user, request }) => regenerateRecoveryCodes(user, request),
);
