import { defineHandler } from "@/lib/api/define-handler";

/** Who the token acts as: useful to check a token before wiring it into a pipeline. */
export const GET = defineHandler({ name: "api.me", permission: null }, async ({ principal }) => ({
  user: { id: principal.user.id, email: principal.user.email, name: principal.user.name, role: principal.user.role },
  token: { id: principal.tokenId, name: principal.tokenName, prefix: principal.tokenPrefix, role: principal.role },
}));
