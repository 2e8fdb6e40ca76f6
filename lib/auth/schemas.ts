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

// Passwords are never trimmed: spaces are characters like any other (NIST 800-63B).
const ZPassword = z.string().max(1024, "That password is too long.");

const ZNewPasswordPair = z.object({
  password: ZPassword.min(1, "Choose a password."),
  confirmPassword: z.string(),
});
const passwordsMatch = (v: { password: string; confirmPassword: string }) => v.password === v.confirmPassword;
const MISMATCH = { message: "The two passwords do not match.", path: ["confirmPassword"] };

export const ZAccountSetupInput = ZNewPasswordPair.extend({ token: z.string().min(1) }).refine(passwordsMatch, MISMATCH);
export type TAccountSetupInput = z.infer<typeof ZAccountSetupInput>;

export const ZFirstAdminInput = ZNewPasswordPair.extend({
  token: z.string().trim().min(1, "Paste the setup token from the server log."),
  name: z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Enter your email address.")
    .max(191, "That email address is too long.")
    .email("Enter a valid email address."),
}).refine(passwordsMatch, MISMATCH);
export type TFirstAdminInput = z.infer<typeof ZFirstAdminInput>;

export const ZEnrolmentConfirmInput = z.object({ ticket: z.string().min(1), code: ZTotpCode });
export type TEnrolmentConfirmInput = z.infer<typeof ZEnrolmentConfirmInput>;

export const ZChangePasswordInput = z
  .object({
    currentPassword: ZPassword.min(1, "Enter your current password."),
    password: ZPassword.min(1, "Choose a new password."),
    confirmPassword: z.string(),
  })
  .refine(passwordsMatch, { message: "The two new passwords do not match.", path: ["confirmPassword"] });
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;

export const ZNoInput = z.object({});
