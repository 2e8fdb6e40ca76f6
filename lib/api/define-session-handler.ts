import type { z } from "zod";
import { STEP_UP_MESSAGE } from "../actions/define-action.ts";
import type { RequestContext } from "../audit/record.ts";
import { currentUser } from "../auth/current-user.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { hasFreshStepUp } from "../auth/step-up.ts";
import { contextFromHeaders } from "../http/request-context.ts";
import { auditDenied } from "../rbac/deny.ts";
import { can, type Permission } from "../rbac/permissions.ts";
import { apiError, errorResponse, parseOr400, queryObject, type RouteSegment } from "./http.ts";

type Options<Q extends z.ZodType, P extends z.ZodType> = {
  name: string;
  permission: Permission;
  query: Q;
  /** The route's dynamic segments (`[fileId]` -> `{ fileId }`), zod-parsed. */
  params?: P;
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
export function defineSessionHandler<Q extends z.ZodType, P extends z.ZodType = z.ZodObject<Record<string, never>>>(
  options: Options<Q, P>,
  handler: (ctx: { user: CurrentUser; query: z.infer<Q>; params: z.infer<P>; request: RequestContext }) => Promise<Response>,
): (request: Request, segment?: RouteSegment) => Promise<Response> {
  return async (request, segment) => {
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
    const params = options.params ? parseOr400(options.params, (await segment?.params) ?? {}, "Invalid path") : null;
    if (params && !params.ok) return params.response;
    try {
      return await handler({ user, query: parsed.data, params: (params?.data ?? {}) as z.infer<P>, request: context });
    } catch (err) {
      return errorResponse(err, { endpoint: options.name, userId: user.id });
    }
  };
}
