import type { FieldErrors } from "./validation/parse.ts";

export type ErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "step_up_required"
  | "invalid_input"
  | "not_found"
  | "conflict"
  | "rate_limited";

/**
 * The one error type business rules throw. Its message is written for the person using the
 * portal; the action and API wrappers turn the code into a form result or an HTTP status.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  step_up_required: 403,
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};
