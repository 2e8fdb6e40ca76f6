import { NAV_ITEMS } from "../ui/navigation.ts";
import type { Permission } from "./permissions.ts";

/**
 * Every page behind a permission, with that permission. The role-matrix end-to-end test walks
 * this list for every role, so adding a page here puts it under test.
 */
export const PROTECTED_PAGES: readonly { path: string; permission: Permission }[] = [
  ...NAV_ITEMS.map((n) => ({ path: n.href, permission: n.permission })),
  { path: "/services/new", permission: "service.write" },
  { path: "/admin/permissions", permission: "user.manage" },
  { path: "/changes/new", permission: "change.create" },
  { path: "/admin/users/new", permission: "user.manage" },
  { path: "/admin/security", permission: "security.manage" },
  { path: "/admin/prometheus", permission: "metrics.configure" },
  { path: "/admin/api-performance", permission: "metrics.configure" },
  { path: "/changes/calendar", permission: "change.read" },
  { path: "/changes/freeze-windows", permission: "change.read" },
  { path: "/account/sessions", permission: "session.manage_own" },
  { path: "/account/security", permission: "session.manage_own" },
  { path: "/account/tokens", permission: "apitoken.create" },
  { path: "/notifications", permission: "notification.read_own" },
  { path: "/health/business-metrics", permission: "health.read" },
  { path: "/account/security", permission: "session.manage_own" },
];
