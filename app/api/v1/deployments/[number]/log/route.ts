import { z } from "zod";
import { defineHandler } from "@/lib/api/define-handler";
import { apiDeploymentLog } from "@/lib/deployments/api-view";

const ZLogQuery = z.object({
  after: z.coerce.number({ message: "after is a log line id." }).int("after is a log line id.").min(0, "after is a log line id.").default(0),
});

/** The deployment's log lines after line id `after`; poll with the returned `after` until `done`. */
export const GET = defineHandler(
  { name: "api.deployments.log", permission: "deployment.read", params: z.object({ number: z.string() }), query: ZLogQuery },
  ({ principal, params, query }) => apiDeploymentLog(principal, params.number, query.after),
);
