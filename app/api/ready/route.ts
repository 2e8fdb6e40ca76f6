import { checkReadiness } from "@/lib/platform/readiness";

export const dynamic = "force-dynamic";

/** Readiness for load balancers: 200 only when the database answers and is fully migrated. */
export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(readiness, {
    status: readiness.ready ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
