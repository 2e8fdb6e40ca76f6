"use server";

import { definePublicAction } from "@/lib/actions/define-public-action";
import { beginFirstAdmin } from "@/lib/auth/first-run";
import { ZAccountSetupInput, ZFirstAdminInput } from "@/lib/auth/schemas";
import { beginAccountSetup } from "@/lib/auth/setup-links";

export const beginAccountSetupAction = definePublicAction(
  { name: "user.setup.password", schema: ZAccountSetupInput },
  ({ input }) => beginAccountSetup(input),
);

export const beginFirstAdminAction = definePublicAction(
  { name: "setup.first_admin.details", schema: ZFirstAdminInput },
  ({ input }) => beginFirstAdmin(input),
);
