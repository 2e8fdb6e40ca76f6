import type { z } from "zod";
import { STEP_UP_MESSAGE } from "../actions/define-action.ts";
import type { RequestContext } from "../audit/record.ts";
import { currentUser } from "../auth/current-user.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { hasFreshStepUp } from "../auth/step-up.ts";
import { contextFromHeaders } from "../http/request-context.ts";
import { auditDenied } from "../rbac/deny.ts";
import { can, type Permission } from "../rbac/permissions.ts";
import { apiError, errorResponse, parseOr400, queryObject } from "./http.ts";

type Options<Q extends z.ZodType> = {
  name: string;
  permission: Permission;
  query: Q;
  /** Requires a TOTP re-entry within the step-up window, as defineAction's stepUp does. */
  stepUp?: boolean;
  /** false for background polling: the request does not count as activity for the idle timeout. */
  touchSession?: boolean;
};

/**
 * defineAction's rules for route handlers a signed-in browser calls directly (file downloads):
 * session cookie -> permission (refusals audited) -> step-up -> zod-parsed query -> the handler,
 * which returns the Response (a stream, usually). Errors use the API's JSON error body.
 */
export function defineSessionHandler<Q extends z.ZodType>(
  options: Options<Q>,
  handler: (ctx: { user: CurrentUser; query: z.infer<Q>; request: RequestContext }) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const user = await currentUser({ touch: options.touchSession ?? true });
    if (!user) return apiError("unauthenticated", "Your session has ended. Sign in again.");
    const context = contextFromHeaders(Object.fromEntries(request.headers));
    if (!can(user.role, options.permission)) {
      await auditDenied({ id: user.id, label: user.email }, options.permission, options.name, context);
      return apiError("forbidden", "Your role does not allow this.");
    }
    if (options.stepUp && !(await hasFreshStepUp(user))) return apiError("step_up_required", STEP_UP_MESSAGE);
    const parsed = parseOr400(options.query, queryObject(new URL(request.url)), "Invalid request");
    if (!parsed.ok) return parsed.response;
    try {
      return await handler({ user, query: parsed.data, request: context });
    } catch (err) {
      return errorResponse(err, { endpoint: options.name, userId: user.id });
    }
  };
}
