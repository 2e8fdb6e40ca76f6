import { can, ROLE_PERMISSIONS, ROLES, type Role } from "../rbac/permissions.ts";

/**
 * "No higher than the creator's": every permission of `role` is also held by `ceiling`. Judged on
 * the permission sets rather than a ranking, because roles are not a ladder (a stakeholder may
 * approve changes, an operator may not).
 */
export function roleWithin(role: Role, ceiling: Role): boolean {
  return ROLE_PERMISSIONS[role].every((p) => can(ceiling, p));
}

/** The roles a person with `creator`'s role may give a token. */
export function grantableRoles(creator: Role): Role[] {
  return ROLES.filter((r) => roleWithin(r, creator));
}
