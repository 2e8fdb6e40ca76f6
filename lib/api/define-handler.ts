import type { z } from "zod";
import { authenticateApiToken, type ApiPrincipal } from "../api-tokens/authenticate.ts";
import type { RequestContext } from "../audit/record.ts";
import { contextFromHeaders } from "../http/request-context.ts";
import { auditDenied } from "../rbac/deny.ts";
import { can, type Permission } from "../rbac/permissions.ts";
import { apiData, apiError, errorResponse, parseJsonBody, parseMultipartBody, parseOr400, queryObject, type RouteSegment } from "./http.ts";

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

type Options<Q extends z.ZodType | undefined, B extends z.ZodType | undefined, P extends z.ZodType | undefined> = {
  /** Names the endpoint in audit events for refusals, e.g. "api.services.list". */
  name: string;
  /** What the token's role must hold; null: any valid token (e.g. /api/v1/me). */
  permission: Permission | null;
  query?: Q;
  body?: B;
  /** The route's dynamic segments (`[number]` -> `{ number }`), zod-parsed. */
  params?: P;
  /**
   * Accept a multipart/form-data body (file uploads) instead of JSON. Read only after the token and
   * permission checks, and never more than maxBytes of it (413 beyond).
   */
  form?: { maxBytes: () => number };
};

export type HandlerContext<Q, B, P = undefined> = {
  principal: ApiPrincipal;
  query: Infer<Q>;
  body: Infer<B>;
  params: Infer<P>;
  /** The parsed multipart body when the handler asked for `form`; undefined otherwise. */
  form: FormData | undefined;
  request: RequestContext;
};

const REALM = 'Bearer realm="ops-portal"';

/**
 * The /api/v1 twin of defineAction: bearer token -> permission of the token's role (refusals
 * audited) -> zod-parsed path params, query and JSON body (400 listing each problem) or a
 * size-bounded multipart form -> the handler, whose result
 * is sent as `{ data }`. Errors are `{ error: { code, message, fields? } }` with the AppError's
 * HTTP status; 401s carry WWW-Authenticate as RFC 6750 asks.
 */
export function defineHandler<
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
>(
  options: Options<Q, B, P>,
  handler: (ctx: HandlerContext<Q, B, P>) => Promise<unknown>,
): (request: Request, segment?: RouteSegment) => Promise<Response> {
  return async (request, segment) => {
    const auth = await authenticateApiToken(request.headers.get("authorization"));
    if (!auth.ok) {
      const challenge = auth.reason === "missing" ? REALM : `${REALM}, error="invalid_token"`;
      return apiError("unauthenticated", auth.message, { headers: { "www-authenticate": challenge } });
    }
    const { principal } = auth;
    const context = contextFromHeaders(Object.fromEntries(request.headers));
    if (options.permission && !can(principal.role, options.permission)) {
      await auditDenied(
        { id: principal.user.id, label: `${principal.user.email} (API token ${principal.tokenPrefix})` },
        options.permission,
        options.name,
        context,
      );
      return apiError("forbidden", `This token's role does not allow ${options.permission}.`, {
        headers: { "www-authenticate": `${REALM}, error="insufficient_scope"` },
      });
    }
    let params: unknown = undefined;
    if (options.params) {
      const parsed = parseOr400(options.params, (await segment?.params) ?? {}, "Invalid path");
      if (!parsed.ok) return parsed.response;
      params = parsed.data;
    }
    let query: unknown = undefined;
    if (options.query) {
      const parsed = parseOr400(options.query, queryObject(new URL(request.url)), "Invalid query");
      if (!parsed.ok) return parsed.response;
      query = parsed.data;
    }
    let body: unknown = undefined;
    if (options.body) {
      const parsed = await parseJsonBody(options.body, request);
      if (!parsed.ok) return parsed.response;
      body = parsed.data;
    }
    let form: FormData | undefined = undefined;
    if (options.form) {
      const parsed = await parseMultipartBody(request, options.form.maxBytes());
      if (!parsed.ok) return parsed.response;
      form = parsed.data;
    }
    try {
      const result = await handler({
        principal,
        query: query as Infer<Q>,
        body: body as Infer<B>,
        params: params as Infer<P>,
        form,
        request: context,
      });
      return result instanceof Response ? result : apiData(result);
    } catch (err) {
      return errorResponse(err, { endpoint: options.name, tokenId: principal.tokenId });
    }
  };
}
