import { z } from "zod";
import { apiError } from "@/lib/api/http";
import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { parseDeploymentNumber } from "@/lib/deployments/number";
import { deploymentProgress } from "@/lib/deployments/queries";

/**
 * A deployment's page polls this every second while it runs: status, every step, and the log
 * lines after the last one it has (`?after=<log id>`). Polling does not keep an idle session alive.
 */
export const GET = defineSessionHandler(
  {
    name: "deployment.progress",
    permission: "deployment.read",
    query: z.object({ after: z.coerce.number().int().min(0).max(2_147_483_647).optional().default(0) }),
    params: z.object({ number: z.string().max(20) }),
    touchSession: false,
  },
  async ({ query, params }) => {
    const number = parseDeploymentNumber(params.number);
    const progress = number === null ? null : await deploymentProgress(number, query.after);
    if (!progress) return apiError("not_found", "There is no such deployment.");
    return Response.json(progress, { headers: { "cache-control": "no-store" } });
  },
);
