import { AppError } from "../errors.ts";
import { can, type Permission, type Role } from "./permissions.ts";

/**
 * Domain functions check the permission again even though defineAction already did: a function
 * in lib/ may be called from somewhere else later, and must not rely on its caller.
 */
export function assertPermission(actor: { role: Role }, permission: Permission): void {
  if (!can(actor.role, permission)) throw new AppError("forbidden", "Your role does not allow this.");
}
