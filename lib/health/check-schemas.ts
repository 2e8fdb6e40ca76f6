import { z } from "zod";
import type { ProbeSpec } from "./types.ts";

/*
 * A health check's configuration as people type it (the check form, "Test now") and as it is
 * stored. Values arrive from FormData as strings: blank numbers take their default, a checkbox is
 * "on" or absent. Only the chosen kind's fields are read; the other kind's are stored as defaults.
 */

export const CHECK_KINDS = ["HTTP", "TCP"] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];
export const HTTP_METHODS = ["GET", "HEAD", "POST"] as const;

/** The shortest interval without HEALTH_MIN_INTERVAL_SECONDS; one day is the longest. */
export const DEFAULT_MIN_INTERVAL_SECONDS = 10;
export const MAX_INTERVAL_SECONDS = 24 * 60 * 60;
export const MIN_TIMEOUT_MS = 100;
export const MAX_TIMEOUT_MS = 60_000;
export const MAX_RETRIES = 10;
export const MAX_KEYWORD_LENGTH = 200;

/**
 * The shortest interval a check may have: 10 s, or less when HEALTH_MIN_INTERVAL_SECONDS (1-10)
 * says so, for tests and demos that want to see a state change quickly. It can only lower it.
 */
export function minIntervalSeconds(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.HEALTH_MIN_INTERVAL_SECONDS);
  return Number.isInteger(n) && n >= 1 && n <= DEFAULT_MIN_INTERVAL_SECONDS ? n : DEFAULT_MIN_INTERVAL_SECONDS;
}

/** "" (a blank form field) as absent, so `.default()` applies. */
function blankToUndefined(value: unknown): unknown {
  return typeof value === "string" && value.trim() === "" ? undefined : value;
}

/** A whole number from a form field or JSON: blank -> `fallback` (or `missing` when there is none). */
function wholeNumber(what: string, min: number, max: number, range: string, fallback?: number) {
  const number = z
    .number({ error: (issue) => (issue.input === undefined ? `Enter ${what}.` : `Enter ${what} as a whole number.`) })
    .int(`Enter ${what} as a whole number.`)
    .min(min, `${capitalise(what)} must be ${range}.`)
    .max(max, `${capitalise(what)} must be ${range}.`);
  return z.preprocess(
    (v) => {
      const blank = blankToUndefined(v);
      return typeof blank === "string" ? Number(blank.trim()) : blank;
    },
    fallback === undefined ? number : number.default(fallback),
  );
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** A host name or an IP address (IPv6 with or without brackets), without scheme, path or port. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$|^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;

const common = {
  name: z
    .string({ message: "Give the check a name." })
    .trim()
    .min(1, "Give the check a name, e.g. \"Public API /health\".")
    .max(100, "Keep the name under 100 characters."),
  // The lower bound (HEALTH_MIN_INTERVAL_SECONDS) is read when a value is checked, in refineConfig.
  intervalSeconds: wholeNumber("the interval in seconds", 1, MAX_INTERVAL_SECONDS, "at most 86,400 seconds (one day)", 60),
  timeoutMs: wholeNumber("the timeout in milliseconds", MIN_TIMEOUT_MS, MAX_TIMEOUT_MS, "between 100 and 60,000 ms", 5000),
  retries: wholeNumber("the number of retries", 0, MAX_RETRIES, "between 0 and 10", 1),
};

const httpFields = {
  kind: z.literal("HTTP"),
  url: z
    .string({ message: "Enter the URL to probe." })
    .trim()
    .min(1, "Enter the URL to probe, e.g. https://payments.internal/health.")
    .max(2000, "Keep the URL under 2,000 characters.")
    .refine(isHttpUrl, { message: "Enter the full URL starting with http:// or https://, e.g. https://payments.internal/health." }),
  method: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() || undefined : v),
    z.enum(HTTP_METHODS, { message: "Choose GET, HEAD or POST." }).default("GET"),
  ),
  expectedStatusMin: wholeNumber("the lowest expected status", 100, 599, "a status code from 100 to 599", 200),
  expectedStatusMax: wholeNumber("the highest expected status", 100, 599, "a status code from 100 to 599", 399),
  keyword: z
    .string()
    .max(MAX_KEYWORD_LENGTH, `Keep the keyword under ${MAX_KEYWORD_LENGTH} characters.`)
    .default(""),
  tlsExpiryWarnDays: wholeNumber("the certificate warning in days", 0, 365, "between 0 (no warning) and 365 days", 14),
  ignoreTlsErrors: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()),
};

const tcpFields = {
  kind: z.literal("TCP"),
  host: z
    .string({ message: "Enter the host to connect to." })
    .trim()
    .min(1, "Enter the host to connect to, e.g. db.internal or 10.0.0.5.")
    .max(253, "Keep the host under 253 characters.")
    .transform((h) => h.replace(/^\[(.*)\]$/, "$1"))
    .refine((h) => HOST.test(h), { message: "Enter a host name or IP address only, without http:// or a port, e.g. db.internal." }),
  port: wholeNumber("the port", 1, 65535, "between 1 and 65535"),
};

/** The stored configuration of a check, both kinds' fields (the other kind's at their defaults). */
export type CheckConfig = {
  name: string;
  kind: CheckKind;
  url: string;
  method: (typeof HTTP_METHODS)[number];
  expectedStatusMin: number;
  expectedStatusMax: number;
  keyword: string;
  tlsExpiryWarnDays: number;
  ignoreTlsErrors: boolean;
  host: string;
  port: number;
  intervalSeconds: number;
  timeoutMs: number;
  retries: number;
};

const HTTP_DEFAULTS = { url: "", method: "GET", expectedStatusMin: 200, expectedStatusMax: 399, keyword: "", tlsExpiryWarnDays: 14, ignoreTlsErrors: false } as const;
const TCP_DEFAULTS = { host: "", port: 0 } as const;

type ConfigFields = {
  intervalSeconds: number;
  timeoutMs: number;
  expectedStatusMin?: number;
  expectedStatusMax?: number;
};

function refineConfig(v: ConfigFields, ctx: z.RefinementCtx): void {
  if (v.expectedStatusMin !== undefined && v.expectedStatusMax !== undefined && v.expectedStatusMin > v.expectedStatusMax) {
    ctx.addIssue({
      code: "custom",
      path: ["expectedStatusMax"],
      message: "The highest expected status must be at least the lowest, e.g. 200 to 299.",
    });
  }
  const minInterval = minIntervalSeconds();
  if (v.intervalSeconds < minInterval) {
    ctx.addIssue({
      code: "custom",
      path: ["intervalSeconds"],
      message: `The interval must be between ${minInterval} and 86,400 seconds (one day).`,
    });
  }
  const maxTimeout = Math.min(MAX_TIMEOUT_MS, v.intervalSeconds * 1000);
  if (v.timeoutMs > maxTimeout) {
    ctx.addIssue({
      code: "custom",
      path: ["timeoutMs"],
      message: `The timeout must be at most ${maxTimeout.toLocaleString("en-GB")} ms: a probe has to finish before the next one is due.`,
    });
  }
}

/** The check's own fields, shared by create, edit and "Test now". */
export const ZCheckConfigInput = z
  .discriminatedUnion("kind", [z.object({ ...common, ...httpFields }), z.object({ ...common, ...tcpFields })], {
    error: "Choose what to check: HTTP(S) or TCP.",
  })
  .superRefine(refineConfig)
  .transform((v): CheckConfig => (v.kind === "HTTP" ? { ...v, ...TCP_DEFAULTS } : { ...v, ...HTTP_DEFAULTS }));
export type TCheckConfigInput = z.infer<typeof ZCheckConfigInput>;

const ZServiceId = z.string().trim().min(1, "Choose a service.").max(64, "That is not a service id.");
const ZCheckId = z.string().trim().min(1, "Choose a check.").max(64, "That is not a check id.");
const ZRevision = z.preprocess(
  blankToUndefined,
  z.coerce.number({ message: "Reload the page and try again." }).int("Reload the page and try again.").min(0, "Reload the page and try again."),
);

export const ZCreateCheckInput = z.intersection(z.object({ serviceId: ZServiceId }), ZCheckConfigInput);
export type TCreateCheckInput = z.infer<typeof ZCreateCheckInput>;

/** `revision`: the one the form was drawn from; a save over someone else's newer edit is refused. */
export const ZUpdateCheckInput = z.intersection(z.object({ checkId: ZCheckId, revision: ZRevision }), ZCheckConfigInput);
export type TUpdateCheckInput = z.infer<typeof ZUpdateCheckInput>;

export const ZCheckIdInput = z.object({ checkId: ZCheckId });
export type TCheckIdInput = z.infer<typeof ZCheckIdInput>;

/** "Test now" on the form: the unsaved values; the service is there for its own permission scope. */
export const ZTestCheckInput = z.intersection(z.object({ serviceId: ZServiceId.optional() }), ZCheckConfigInput);
export type TTestCheckInput = z.infer<typeof ZTestCheckInput>;

/** Just the configuration fields of a parsed input or a stored row. */
export function checkConfigOf(v: CheckConfig): CheckConfig {
  return {
    name: v.name,
    kind: v.kind,
    url: v.url,
    method: v.method,
    expectedStatusMin: v.expectedStatusMin,
    expectedStatusMax: v.expectedStatusMax,
    keyword: v.keyword,
    tlsExpiryWarnDays: v.tlsExpiryWarnDays,
    ignoreTlsErrors: v.ignoreTlsErrors,
    host: v.host,
    port: v.port,
    intervalSeconds: v.intervalSeconds,
    timeoutMs: v.timeoutMs,
    retries: v.retries,
  };
}

/** What the probe engine needs, from a configuration (`id` "" for an unsaved one). */
export function probeSpecOf(id: string, c: CheckConfig): ProbeSpec {
  const { name: _name, ...rest } = checkConfigOf(c);
  return { id, ...rest };
}

/** "GET https://x/health" or "TCP db.internal:5432": how a check's target reads in lists. */
export function checkTarget(c: Pick<CheckConfig, "kind" | "method" | "url" | "host" | "port">): string {
  if (c.kind === "HTTP") return `${c.method} ${c.url}`;
  return `${c.host.includes(":") ? `[${c.host}]` : c.host}:${c.port}`;
}
