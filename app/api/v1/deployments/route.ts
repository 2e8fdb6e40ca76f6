import { defineHandler } from "@/lib/api/define-handler";
import { apiDeploymentList, apiTriggerDeployment, ZDeploymentListQuery, ZTriggerBody } from "@/lib/deployments/api-view";

/** Recent deployments, newest first (?service=<id or name>&status=RUNNING&limit=50). */
export const GET = defineHandler(
  { name: "api.deployments.list", permission: "deployment.read", query: ZDeploymentListQuery },
  ({ principal, query }) => apiDeploymentList(principal, query),
);

/**
 * Deploys an approved change: {"change": "CHG-000123", "overrideReason"?: "..."} with an
 * Idempotency-Key header (or "idempotencyKey" in the body). 201 with the new deployment; 200 with
 * the same one when the key was used before; 409 {error, gate} when a gate refuses.
 */
export function POST(request: Request): Promise<Response> {
  const key = request.headers.get("idempotency-key");
  return defineHandler(
    { name: "api.deployments.trigger", permission: "deployment.trigger", body: ZTriggerBody },
    ({ principal, body, request: context }) => apiTriggerDeployment(principal, body, key, context),
  )(request);
}
