import { z } from "zod";

/**
 * Building blocks for filters read from a query string (GET forms, API query parameters), shared
 * by the audit viewer and the change list.
 */

/** A GET form sends every field, empty ones as "": those mean "no filter". */
export const blankAsUndefined = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

/** <input type="datetime-local"> sends "2026-11-27T10:30" (no zone); the portal shows UTC, so read it as UTC. */
export const utcMinute = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "Enter a date and time like 2026-11-27T10:30.")
  .transform((s) => new Date(`${s}Z`))
  .refine((d) => !Number.isNaN(d.getTime()), "That date does not exist.");

/** <input type="date"> sends "2026-11-27": midnight UTC of that day. */
export const utcDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date like 2026-11-27.")
  .transform((s) => new Date(`${s}T00:00:00Z`))
  .refine((d) => !Number.isNaN(d.getTime()), "That date does not exist.");

/**
 * A parameter that may be given several times (checkboxes, `?status=A&status=B`) or once with
 * commas (`?status=A,B`, handy in scripts): always an array, blanks dropped.
 */
export const multiValue = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    const list = (Array.isArray(v) ? v : v === undefined ? [] : [v])
      .flatMap((x) => (typeof x === "string" ? x.split(",") : [x]))
      .map((x) => (typeof x === "string" ? x.trim() : x))
      .filter((x) => x !== "");
    return list;
  }, z.array(item));
