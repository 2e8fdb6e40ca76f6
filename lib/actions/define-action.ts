import type { z } from "zod";
import type { RequestContext } from "../audit/record.ts";
import { currentUser } from "../auth/current-user.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { hasFreshStepUp } from "../auth/step-up.ts";
import { AppError, type ErrorCode } from "../errors.ts";
import { requestContext } from "../http/request-context.ts";
import { logger } from "../observability/logger.ts";
import { auditDenied } from "../rbac/deny.ts";
import { can, type Permission } from "../rbac/permissions.ts";
import { formDataObject, parseInput, type FieldErrors } from "../validation/parse.ts";

export type ActionResult<T> =
  | { ok: true; data: T; message?: string }
  | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors };

export type ActionContext<I> = { user: CurrentUser; input: I; request: RequestContext };

type Options<S extends z.ZodType> = {
  /** Names the action in audit events for refusals. */
  name: string;
  permission: Permission;
  schema: S;
  /** Requires a TOTP re-entry within the step-up window (lib/auth/step-up.ts). */
  stepUp?: boolean;
};

export const STEP_UP_MESSAGE = "Confirm it is you: enter a current code from your authenticator app.";

/**
 * The only way to write a server action: signed in -> permission (refusals audited) -> step-up ->
 * input parsed with zod -> the domain function. Errors come back as a result the form can show;
 * a bug comes back as a generic message, never a stack trace.
 */
export function defineAction<S extends z.ZodType, T>(
  options: Options<S>,
  handler: (ctx: ActionContext<z.infer<S>>) => Promise<T>,
): (raw: FormData | Record<string, unknown>) => Promise<ActionResult<T>> {
  return async (raw) => {
    const user = await currentUser();
    if (!user) return { ok: false, code: "unauthenticated", message: "Your session has ended. Sign in again." };
    const request = await requestContext();
    if (!can(user.role, options.permission)) {
      await auditDenied({ id: user.id, label: user.email }, options.permission, options.name, request);
      return { ok: false, code: "forbidden", message: "Your role does not allow this." };
    }
    if (options.stepUp && !(await hasFreshStepUp(user))) {
      return { ok: false, code: "step_up_required", message: STEP_UP_MESSAGE };
    }
    const parsed = parseInput(options.schema, raw instanceof FormData ? formDataObject(raw) : raw);
    if (!parsed.ok) {
      return { ok: false, code: "invalid_input", message: parsed.message, fieldErrors: parsed.fieldErrors };
    }
    try {
      return { ok: true, data: await handler({ user, input: parsed.data, request }) };
    } catch (err) {
      if (err instanceof AppError) {
        return { ok: false, code: err.code, message: err.message, fieldErrors: err.fieldErrors };
      }
      logger.error({ err, action: options.name, userId: user.id }, "server action failed");
      return { ok: false, code: "conflict", message: "Something went wrong and nothing was changed. Try again." };
    }
  };
}
