import { lifecycle } from "@/lib/observability/lifecycle";

export const dynamic = "force-dynamic";

/** Liveness: the process is up and serving. It deliberately touches nothing else. */
export function GET() {
  return Response.json(
    { status: "ok", uptimeSeconds: Math.round((Date.now() - lifecycle().startedAt) / 1000) },
    { headers: { "Cache-Control": "no-store" } },
  );
}
