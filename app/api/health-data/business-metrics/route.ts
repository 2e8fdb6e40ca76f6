import { z } from "zod";
import { defineSessionHandler } from "@/lib/api/define-session-handler";
import { listBusinessMetrics } from "@/lib/metrics/business";

/** The metric picker of /health/business-metrics: every metric with its label keys and values. */
export const GET = defineSessionHandler(
  { name: "health.business_metrics.list", permission: "health.read", query: z.object({}), touchSession: false },
  async () => Response.json({ metrics: await listBusinessMetrics() }, { headers: { "cache-control": "no-store" } }),
);
