import { z } from "zod";

export const ZPasswordStepInput = z.object({
  email: z.string().trim().min(1, "Enter your email address.").email("Enter a valid email address."),
  password: z.string().min(1, "Enter your password.").max(1024, "That password is too long."),
});
export type TPasswordStepInput = z.infer<typeof ZPasswordStepInput>;
