import type { z } from "zod";
import type { RequestContext } from "../audit/record.ts";
import { AppError } from "../errors.ts";
import { requestContext } from "../http/request-context.ts";
import { logger } from "../observability/logger.ts";
import { formDataObject, parseInput } from "../validation/parse.ts";
import type { ActionResult } from "./define-action.ts";

export type PublicActionContext<I> = { input: I; request: RequestContext };

/**
 * The twin of defineAction for the few actions that run before anyone is signed in (enrolment,
 * setup links, first run). There is no user or permission to check; everything else is the same:
 * input parsed with zod, AppError -> a result the form shows, a bug -> a generic message.
 */
export function definePublicAction<S extends z.ZodType, T>(
  options: { name: string; schema: S },
  handler: (ctx: PublicActionContext<z.infer<S>>) => Promise<T>,
): (raw: FormData | Record<string, unknown>) => Promise<ActionResult<T>> {
  return async (raw) => {
    const parsed = parseInput(options.schema, raw instanceof FormData ? formDataObject(raw) : raw);
    if (!parsed.ok) {
      return { ok: false, code: "invalid_input", message: parsed.message, fieldErrors: parsed.fieldErrors };
    }
    try {
      return { ok: true, data: await handler({ input: parsed.data, request: await requestContext() }) };
    } catch (err) {
      if (err instanceof AppError) {
        return { ok: false, code: err.code, message: err.message, fieldErrors: err.fieldErrors };
      }
      logger.error({ err, action: options.name }, "public action failed");
      return { ok: false, code: "conflict", message: "Something went wrong and nothing was changed. Try again." };
    }
  };
}
