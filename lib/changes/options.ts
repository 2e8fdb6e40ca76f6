import { db } from "../db/client.ts";
import { assertPermission } from "../rbac/assert.ts";
import type { Role } from "../rbac/permissions.ts";

/*
 * What the change form offers: the services (with the stakeholders a new change on each starts
 * with) and the people who can be named stakeholders (active Stakeholders and Administrators:
 * they sign off UAT and approve). The requester is left out, as createChange refuses them.
 */

export type ServiceOption = {
  id: string;
  name: string;
  environment: "PRODUCTION" | "STAGING";
  /** Default stakeholders for a new change on this service (ServiceStakeholder rows that qualify). */
  stakeholderIds: string[];
};

export type PersonOption = { id: string; name: string; email: string; role: Role };

export async function changeFormOptions(viewer: { id: string; role: Role }): Promise<{ services: ServiceOption[]; stakeholders: PersonOption[] }> {
  assertPermission(viewer, "change.create");
  const [services, people] = await Promise.all([
    db.service.findMany({
      select: { id: true, name: true, environment: true, stakeholders: { select: { userId: true } } },
      orderBy: [{ name: "asc" }, { environment: "asc" }],
    }),
    db.user.findMany({
      where: { active: true, role: { in: ["STAKEHOLDER", "ADMIN"] }, id: { not: viewer.id } },
      select: { id: true, name: true, email: true, role: true },
      orderBy: { name: "asc" },
    }),
  ]);
  const eligible = new Set(people.map((p) => p.id));
  return {
    services: services.map((s) => ({
      id: s.id,
      name: s.name,
      environment: s.environment,
      stakeholderIds: s.stakeholders.map((x) => x.userId).filter((id) => eligible.has(id)),
    })),
    stakeholders: people.map((p) => ({ ...p, role: p.role as Role })),
  };
}
