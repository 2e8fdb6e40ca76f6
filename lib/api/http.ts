import type { z } from "zod";
import { AppError, HTTP_STATUS, type ErrorCode } from "../errors.ts";
import { logger } from "../observability/logger.ts";
import { formatBytes } from "../ui/format-bytes.ts";
import { parseInput, type FieldErrors } from "../validation/parse.ts";

/** The one error body of every API response: `{ error: { code, message, fields? } }`. */
export type ApiErrorBody = { error: { code: ErrorCode | "internal_error"; message: string; fields?: FieldErrors } };

const NO_STORE = { "cache-control": "no-store" };

export function apiError(
  code: ErrorCode | "internal_error",
  message: string,
  options: { fields?: FieldErrors; headers?: Record<string, string>; status?: number } = {},
): Response {
  const status = options.status ?? (code === "internal_error" ? 500 : HTTP_STATUS[code]);
  const body: ApiErrorBody = { error: { code, message, ...(options.fields ? { fields: options.fields } : {}) } };
  return Response.json(body, { status, headers: { ...NO_STORE, ...options.headers } });
}

export function apiData(data: unknown, status = 200): Response {
  return Response.json({ data }, { status, headers: NO_STORE });
}

/** Query parameters as a plain object; a name given several times becomes an array. */
export function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    out[key] = values.length > 1 ? values : (values[0] ?? "");
  }
  return out;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, what: string): Parsed<z.infer<S>> {
  const parsed = parseInput(schema, input);
  if (parsed.ok) return parsed;
  return { ok: false, response: apiError("invalid_input", `${what}: ${parsed.message}`, { fields: parsed.fieldErrors }) };
}

export async function parseJsonBody<S extends z.ZodType>(schema: S, request: Request): Promise<Parsed<z.infer<S>>> {
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) {
    return { ok: false, response: apiError("invalid_input", "Send the body as JSON with Content-Type: application/json.") };
  }
  let raw: unknown;
  try {
    raw = await request.json();
  } catch {
    return { ok: false, response: apiError("invalid_input", "The request body is not valid JSON.") };
  }
  return parseOr400(schema, raw, "Invalid body");
}

/** What Next.js passes a route handler besides the request: the dynamic segments of its path. */
export type RouteSegment = { params?: Promise<Record<string, string | string[] | undefined>> };

class BodyTooLarge extends Error {}

/**
 * A multipart/form-data body, read through a counter that stops at maxBytes: a client cannot make
 * the server buffer more than that, whether or not it sent a Content-Length. Over the limit: 413.
 */
export async function parseMultipartBody(request: Request, maxBytes: number): Promise<Parsed<FormData>> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    return { ok: false, response: apiError("invalid_input", "Send the body as multipart/form-data.") };
  }
  const tooLarge = () =>
    apiError("invalid_input", `The request body is larger than the ${formatBytes(maxBytes)} allowed.`, { status: 413 });
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, response: tooLarge() };
  if (!request.body) return { ok: false, response: apiError("invalid_input", "The request has no body.") };
  let seen = 0;
  const limited = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(new BodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  try {
    return { ok: true, data: await new Response(limited, { headers: { "content-type": contentType } }).formData() };
  } catch {
    if (seen > maxBytes) return { ok: false, response: tooLarge() };
    return { ok: false, response: apiError("invalid_input", "The request body is not valid multipart/form-data.") };
  }
}

/** AppError -> its HTTP status; anything else is a bug: logged, and answered without details. */
export function errorResponse(err: unknown, context: Record<string, unknown>): Response {
  if (err instanceof AppError) return apiError(err.code, err.message, { fields: err.fieldErrors });
  logger.error({ err, ...context }, "API handler failed");
  return apiError("internal_error", "Something went wrong and nothing was changed. Try again.");
}
