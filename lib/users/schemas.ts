import { z } from "zod";
import { ROLES } from "../rbac/permissions.ts";

const ZRole = z.enum(ROLES, { message: "Choose a role." });

const ZUserId = z.string().trim().min(1, "Choose a user.").max(64, "That is not a user id.");

export const ZCreateUserInput = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter the person's email address.")
    .max(191, "That email address is too long.")
    .email("Enter a valid email address, like name@example.com.")
    .transform((s) => s.toLowerCase()),
  name: z.string().trim().min(1, "Enter the person's name.").max(100, "Keep the name under 100 characters."),
  role: ZRole,
});
export type TCreateUserInput = z.infer<typeof ZCreateUserInput>;

export const ZUserIdInput = z.object({ userId: ZUserId });
export type TUserIdInput = z.infer<typeof ZUserIdInput>;

export const ZChangeRoleInput = z.object({ userId: ZUserId, role: ZRole });
export type TChangeRoleInput = z.infer<typeof ZChangeRoleInput>;
