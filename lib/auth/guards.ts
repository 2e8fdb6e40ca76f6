import { forbidden } from "next/navigation";
import { can, type Permission } from "../rbac/permissions.ts";
import { requireUser } from "./current-user.ts";
import type { CurrentUser } from "./sessions.ts";

/** For pages: the signed-in user if the matrix grants `permission`, else the 403 page. */
export async function requirePermission(permission: Permission): Promise<CurrentUser> {
  const user = await requireUser();
  if (!can(user.role, permission)) forbidden();
  return user;
}
