import { z } from "zod";
import { defineHandler } from "@/lib/api/define-handler";
import { apiDeploymentDetail } from "@/lib/deployments/api-view";

/** One deployment by number (DEP-000123 or 123): status, colours, steps with their times. */
export const GET = defineHandler(
  { name: "api.deployments.get", permission: "deployment.read", params: z.object({ number: z.string() }) },
  ({ principal, params }) => apiDeploymentDetail(principal, params.number),
);
