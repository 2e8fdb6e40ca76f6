import { defineHandler } from "@/lib/api/define-handler";
import { apiData } from "@/lib/api/http";
import { ZCreateChangeInput } from "@/lib/changes/schemas";
import { createChange } from "@/lib/changes/service";

/** Creates a DRAFT change as the token's owner, with the token's role; 201 with its number. */
export const POST = defineHandler(
  { name: "api.changes.create", permission: "change.create", body: ZCreateChangeInput },
  async ({ principal, body, request }) => {
    const actor = { ...principal.user, role: principal.role };
    const created = await createChange(actor, body, request, `api:${principal.tokenPrefix}`);
    return apiData({ change: created }, 201);
  },
);
