"use server";

import { ZPasswordStepInput } from "@/lib/auth/schemas";
import { checkPassword } from "@/lib/auth/sign-in";
import { requestContext } from "@/lib/http/request-context";
import { formDataObject, parseInput, type FieldErrors } from "@/lib/validation/parse";

export type PasswordStepState = { ticket?: string; email?: string; error?: string; fieldErrors?: FieldErrors };

export async function passwordStep(_prev: PasswordStepState, form: FormData): Promise<PasswordStepState> {
  const parsed = parseInput(ZPasswordStepInput, formDataObject(form));
  if (!parsed.ok) return { error: parsed.message, fieldErrors: parsed.fieldErrors };
  const result = await checkPassword(parsed.data.email, parsed.data.password, await requestContext());
  return result.ok ? { ticket: result.ticket, email: parsed.data.email } : { error: result.message };
}
