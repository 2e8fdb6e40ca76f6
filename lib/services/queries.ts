import type { ChangeStatus } from "../db/generated/sqlite/enums.ts";
import { formatChangeNumber } from "../changes/number.ts";
import { db } from "../db/client.ts";
import { can, ROLES, type Role } from "../rbac/permissions.ts";
import type { TServiceFilter } from "./schemas.ts";

export type ServiceRow = {
  id: string;
  name: string;
  environment: "PRODUCTION" | "STAGING";
  ownerTeam: string;
  tier: number;
  description: string;
};

export function listServices(): Promise<ServiceRow[]> {
  return db.service.findMany({
    select: { id: true, name: true, environment: true, ownerTeam: true, tier: true, description: true },
    orderBy: [{ tier: "asc" }, { name: "asc" }, { environment: "asc" }],
  });
}

export type CatalogueRow = ServiceRow & { stakeholderCount: number };

/** The catalogue page: filtered by environment and owner team, searched by name. */
export async function listServiceCatalogue(filter: TServiceFilter = {}): Promise<CatalogueRow[]> {
  const rows = await db.service.findMany({
    where: {
      ...(filter.environment ? { environment: filter.environment } : {}),
      ...(filter.team ? { ownerTeam: filter.team } : {}),
      // LIKE: case-insensitive for ASCII on SQLite and under MariaDB's default collation alike.
      ...(filter.q ? { name: { contains: filter.q } } : {}),
    },
    select: {
      id: true,
      name: true,
      environment: true,
      ownerTeam: true,
      tier: true,
      description: true,
      _count: { select: { stakeholders: true } },
    },
    orderBy: [{ name: "asc" }, { environment: "asc" }],
  });
  return rows.map(({ _count, ...s }) => ({ ...s, stakeholderCount: _count.stakeholders }));
}

/** Every owner team with at least one service, for the catalogue's team filter. */
export async function listOwnerTeams(): Promise<string[]> {
  const rows = await db.service.findMany({ distinct: ["ownerTeam"], select: { ownerTeam: true }, orderBy: { ownerTeam: "asc" } });
  return rows.map((r) => r.ownerTeam);
}

export type ServicePerson = { id: string; name: string; email: string; role: Role; active: boolean };

export type RecentChange = {
  id: string;
  number: string;
  title: string;
  status: ChangeStatus;
  plannedStart: Date;
};

export type ServiceDetail = ServiceRow & {
  repoUrl: string;
  runbookUrl: string;
  dashboardUrl: string;
  createdAt: Date;
  updatedAt: Date;
  stakeholders: ServicePerson[];
  /** The newest change requests of the service (up to 10), newest first. */
  recentChanges: RecentChange[];
};

const PERSON = { select: { id: true, name: true, email: true, role: true, active: true } } as const;

export async function getServiceDetail(id: string): Promise<ServiceDetail | null> {
  const service = await db.service.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      environment: true,
      ownerTeam: true,
      tier: true,
      description: true,
      repoUrl: true,
      runbookUrl: true,
      dashboardUrl: true,
      createdAt: true,
      updatedAt: true,
      stakeholders: { select: { user: PERSON } },
      changes: {
        select: { id: true, number: true, title: true, status: true, plannedStart: true },
        orderBy: { number: "desc" },
        take: 10,
      },
    },
  });
  if (!service) return null;
  const { stakeholders, changes, ...rest } = service;
  return {
    ...rest,
    stakeholders: stakeholders.map((s) => s.user).sort((a, b) => a.name.localeCompare(b.name)),
    recentChanges: changes.map((c) => ({ ...c, number: formatChangeNumber(c.number) })),
  };
}

/** Roles that may sign off UAT, and so be named as a service's stakeholders (from the matrix). */
export const STAKEHOLDER_ROLES: readonly Role[] = ROLES.filter((r) => can(r, "change.uat_signoff"));

/** Active people who may be named as stakeholders, for the service form. */
export function listStakeholderCandidates(): Promise<ServicePerson[]> {
  return db.user.findMany({
    where: { active: true, role: { in: [...STAKEHOLDER_ROLES] } },
    ...PERSON,
    orderBy: { name: "asc" },
  });
}
