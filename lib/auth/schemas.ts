import { z } from "zod";

export const ZPasswordStepInput = z.object({
  email: z.string().trim().min(1, "Enter your email address.").email("Enter a valid email address."),
  password: z.string().min(1, "Enter your password.").max(1024, "That password is too long."),
});
export type TPasswordStepInput = z.infer<typeof ZPasswordStepInput>;

export const ZTotpCode = z
  .string()
  .transform((s) => s.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."));

export const ZStepUpInput = z.object({ code: ZTotpCode });
export type TStepUpInput = z.infer<typeof ZStepUpInput>;
