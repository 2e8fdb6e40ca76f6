import { can, type Permission, type Role } from "../rbac/permissions.ts";

export type NavItem = { href: string; label: string; icon: NavIcon; permission: Permission };
export type NavIcon =
  | "dashboard"
  | "changes"
  | "services"
  | "deployments"
  | "health"
  | "alerts"
  | "dr"
  | "incidents"
  | "procedures"
  | "compliance"
  | "audit"
  | "admin";

/** The portal's areas, in the order the standards walk through them. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Dashboard", icon: "dashboard", permission: "dashboard.read" },
  { href: "/changes", label: "Changes", icon: "changes", permission: "change.read" },
  { href: "/services", label: "Services", icon: "services", permission: "service.read" },
  { href: "/deployments", label: "Deployments", icon: "deployments", permission: "deployment.read" },
  { href: "/health", label: "Health & Metrics", icon: "health", permission: "health.read" },
  { href: "/alerts", label: "Alerts & On-call", icon: "alerts", permission: "alert.read" },
  { href: "/dr", label: "DR & Backups", icon: "dr", permission: "dr.read" },
  { href: "/incidents", label: "Incidents", icon: "incidents", permission: "incident.read" },
  { href: "/procedures", label: "Procedures", icon: "procedures", permission: "procedure.read" },
  { href: "/compliance", label: "Compliance", icon: "compliance", permission: "compliance.read" },
  { href: "/audit", label: "Audit", icon: "audit", permission: "audit.read" },
  { href: "/admin", label: "Admin", icon: "admin", permission: "user.manage" },
];

export function navFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => can(role, item.permission));
}
