"use server";

import { definePublicAction } from "@/lib/actions/define-public-action";
import { completeEnrolment } from "@/lib/auth/complete-enrolment";
import type { PendingEnrolment } from "@/lib/auth/enrolment";
import { ZEnrolmentConfirmInput, ZPasswordStepInput } from "@/lib/auth/schemas";
import { checkPassword } from "@/lib/auth/sign-in";
import { requestContext } from "@/lib/http/request-context";
import { formDataObject, parseInput, type FieldErrors } from "@/lib/validation/parse";

export type PasswordStepState = {
  email?: string;
  /** Set when the code step follows. */
  ticket?: string;
  /** Set instead when the account has no authenticator yet and must enrol first. */
  enrolment?: PendingEnrolment;
  error?: string;
  fieldErrors?: FieldErrors;
};

export async function passwordStep(_prev: PasswordStepState, form: FormData): Promise<PasswordStepState> {
  const parsed = parseInput(ZPasswordStepInput, formDataObject(form));
  if (!parsed.ok) return { error: parsed.message, fieldErrors: parsed.fieldErrors };
  const { email } = parsed.data;
  const result = await checkPassword(email, parsed.data.password, await requestContext());
  if (!result.ok) return { email, error: result.message };
  return result.next === "code" ? { email, ticket: result.ticket } : { email, enrolment: result.enrolment };
}

/** The new authenticator's first code: used by sign-in, setup links and first run alike. */
export const confirmEnrolmentAction = definePublicAction(
  { name: "auth.enrolment.confirm", schema: ZEnrolmentConfirmInput },
  ({ input, request }) => completeEnrolment(input.ticket, input.code, request),
);
