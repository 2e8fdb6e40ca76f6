/**
 * The one permission matrix. Every server-side check and every UI decision asks `can(role, p)`;
 * anything not listed for a role is denied.
 */
export const ROLES = ["ADMIN", "OPERATOR", "RELEASE_MANAGER", "STAKEHOLDER", "AUDITOR", "VIEWER"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "dashboard.read",
  "service.read",
  "service.write",
  "change.read",
  "change.create",
  "change.approve",
  "change.uat_signoff",
  "change.comment",
  "change.review",
  "freeze.manage",
  "deployment.read",
  "deployment.trigger",
  "deployment.rollback",
  "deployment.configure",
  "health.read",
  "health.manage",
  "metrics.write",
  "metrics.configure",
  "alert.read",
  "alert.manage",
  "oncall.manage",
  "dr.read",
  "dr.record",
  "incident.read",
  "incident.record",
  "procedure.read",
  "procedure.run",
  "compliance.read",
  "compliance.signoff",
  "audit.read",
  "audit.export",
  "user.manage",
  "security.manage",
  "apitoken.create",
  "session.manage_own",
  "notification.read_own",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_DASHBOARDS = [
  "dashboard.read",
  "service.read",
  "change.read",
  "deployment.read",
  "health.read",
  "alert.read",
  "dr.read",
  "incident.read",
  "procedure.read",
] as const satisfies readonly Permission[];

export const ROLE_PERMISSIONS = {
  ADMIN: PERMISSIONS,
  OPERATOR: [
    ...READ_DASHBOARDS,
    "service.write",
    "change.create",
    "deployment.trigger",
    "deployment.rollback",
    "health.manage",
    "metrics.write",
    "alert.manage",
    "oncall.manage",
    "dr.record",
    "incident.record",
    "procedure.run",
    "apitoken.create",
    "session.manage_own",
    "notification.read_own",
    "change.comment",
  ],
  RELEASE_MANAGER: [
    ...READ_DASHBOARDS,
    "change.create",
    "change.approve",
    "change.comment",
    "change.review",
    "notification.read_own",
    "freeze.manage",
    "deployment.trigger",
    "deployment.rollback",
    "apitoken.create",
    "session.manage_own",
  ],
  STAKEHOLDER: [
    ...READ_DASHBOARDS,
    "change.approve",
    "change.uat_signoff",
    "change.comment",
    "session.manage_own",
    "notification.read_own",
  ],
  AUDITOR: [
    ...READ_DASHBOARDS,
    "compliance.read",
    "compliance.signoff",
    "audit.read",
    "audit.export",
    "session.manage_own",
    "notification.read_own",
  ],
  VIEWER: [...READ_DASHBOARDS, "session.manage_own", "notification.read_own"],
} as const satisfies Record<Role, readonly Permission[]>;

const matrix = new Map<Role, ReadonlySet<Permission>>(
  ROLES.map((r) => [r, new Set<Permission>(ROLE_PERMISSIONS[r])]),
);

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role ? (matrix.get(role)?.has(permission) ?? false) : false;
}

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: "Administrator",
  OPERATOR: "Operator",
  RELEASE_MANAGER: "Release manager",
  STAKEHOLDER: "Stakeholder",
  AUDITOR: "Auditor",
  VIEWER: "Viewer",
};
