import { z } from "zod";
import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { serviceHealthEvents, ZServiceSeriesQuery } from "@/lib/health/service-health";

/** What goes on a service's time axis in a range: state changes, deployments, maintenance windows. */
export const GET = defineSessionHandler(
  { name: "health.events", permission: "health.read", query: ZServiceSeriesQuery, params: z.object({ serviceId: z.string().max(64) }), touchSession: false },
  async ({ query, params }) => Response.json(await serviceHealthEvents(params.serviceId, query), { headers: { "cache-control": "no-store" } }),
);
