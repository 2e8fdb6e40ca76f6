import { z } from "zod";
import { defineHandler } from "@/lib/api/define-handler";
import { apiRequestRollback, ZRollbackBody } from "@/lib/deployments/api-view";

/** Asks for a rollback {"reason": "..."}: 202; the runner moves traffic back to the previous colour. */
export const POST = defineHandler(
  { name: "api.deployments.rollback", permission: "deployment.rollback", params: z.object({ number: z.string() }), body: ZRollbackBody },
  ({ principal, params, body, request }) => apiRequestRollback(principal, params.number, body.reason, request),
);
