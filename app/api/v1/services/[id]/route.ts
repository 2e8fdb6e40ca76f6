import { defineHandler } from "@/lib/api/define-handler";
import { AppError } from "@/lib/errors";
import { getServiceDetail } from "@/lib/services/queries";

type RouteContext = { params: Promise<{ id: string }> };

/** One service with its links and named stakeholders, e.g. for a pipeline that raises changes. */
export async function GET(request: Request, { params }: RouteContext): Promise<Response> {
  const { id } = await params;
  return defineHandler({ name: "api.services.get", permission: "service.read" }, async () => {
    const service = await getServiceDetail(id);
    if (!service) throw new AppError("not_found", `There is no service with the id ${id}.`);
    return {
      service: {
        id: service.id,
        name: service.name,
        environment: service.environment,
        ownerTeam: service.ownerTeam,
        tier: service.tier,
        description: service.description,
        links: { repo: service.repoUrl || null, runbook: service.runbookUrl || null, dashboard: service.dashboardUrl || null },
        stakeholders: service.stakeholders.map((s) => ({ id: s.id, name: s.name, email: s.email })),
        createdAt: service.createdAt.toISOString(),
        updatedAt: service.updatedAt.toISOString(),
      },
    };
  })(request);
}
