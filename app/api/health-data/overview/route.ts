import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { healthOverview, ZHealthOverviewFilter } from "@/lib/health/overview";

/** The health overview's data (the page refetches it on its auto-refresh interval; polling does not keep a session alive). */
export const GET = defineSessionHandler(
  { name: "health.overview", permission: "health.read", query: ZHealthOverviewFilter, touchSession: false },
  async ({ query }) => Response.json(await healthOverview(query), { headers: { "cache-control": "no-store" } }),
);
