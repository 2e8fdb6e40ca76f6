import { db } from "../db/client.ts";
import { can, ROLES } from "../rbac/permissions.ts";

/*
 * The choices the change form offers: services (with the stakeholders a new change starts with)
 * and the people who may be named as stakeholders (active users whose role can sign UAT and
 * approve; never the requester, who cannot approve their own change).
 * Reads only; the service checks the chosen ids again when it writes.
 */

export type ServiceChoice = { id: string; name: string; environment: string; stakeholderIds: string[] };
export type PersonChoice = { id: string; name: string; email: string };

export async function serviceChoices(): Promise<ServiceChoice[]> {
  const services = await db.service.findMany({
    select: { id: true, name: true, environment: true, stakeholders: { select: { userId: true } } },
    orderBy: [{ name: "asc" }, { environment: "asc" }],
  });
  return services.map((s) => ({
    id: s.id,
    name: s.name,
    environment: s.environment,
    stakeholderIds: s.stakeholders.map((x) => x.userId),
  }));
}

export function stakeholderChoices(requesterId: string): Promise<PersonChoice[]> {
  const roles = ROLES.filter((r) => can(r, "change.uat_signoff") && can(r, "change.approve"));
  return db.user.findMany({
    where: { active: true, role: { in: roles }, id: { not: requesterId } },
    select: { id: true, name: true, email: true },
    orderBy: [{ name: "asc" }, { email: "asc" }],
  });
}
