"use server";

import { defineAction } from "@/lib/actions/define-action";
import { ZCreateApiTokenInput, ZRevokeApiTokenInput } from "@/lib/api-tokens/schemas";
import { createApiToken, revokeApiToken } from "@/lib/api-tokens/service";

export const createApiTokenAction = defineAction(
  { name: "apitoken.create", permission: "apitoken.create", stepUp: true, schema: ZCreateApiTokenInput },
  ({ user, input, request }) => createApiToken(user, input, request),
);

// Revoking only ever reduces access, so it needs no step-up: a leaked token should die fast.
export const revokeApiTokenAction = defineAction(
  { name: "apitoken.revoke", permission: "apitoken.create", schema: ZRevokeApiTokenInput },
  ({ user, input, request }) => revokeApiToken(user, input.id, request),
);
