import { z } from "zod";
import { ROLES } from "../rbac/permissions.ts";

export const API_TOKEN_DEFAULT_DAYS = 90;
export const API_TOKEN_MAX_DAYS = 365;

const blankIsMissing = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const ZCreateApiTokenInput = z.object({
  name: z
    .string({ message: "Give the token a name." })
    .trim()
    .min(1, "Give the token a name, e.g. what will use it.")
    .max(80, "Keep the name to 80 characters or fewer."),
  role: z.enum(ROLES, { message: "Choose the role the token acts with." }),
  expiresInDays: z.preprocess(
    blankIsMissing,
    z.coerce
      .number({ message: "Enter a number of days." })
      .int("Use whole days.")
      .min(1, "A token must last at least 1 day.")
      .max(API_TOKEN_MAX_DAYS, `A token can last at most ${API_TOKEN_MAX_DAYS} days.`)
      .default(API_TOKEN_DEFAULT_DAYS),
  ),
});
export type TCreateApiTokenInput = z.infer<typeof ZCreateApiTokenInput>;

export const ZRevokeApiTokenInput = z.object({
  id: z.string({ message: "Which token?" }).trim().min(1, "Which token?").max(64, "Which token?"),
});
export type TRevokeApiTokenInput = z.infer<typeof ZRevokeApiTokenInput>;
