import { z } from "zod";

export const ENVIRONMENTS = ["PRODUCTION", "STAGING"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const ENVIRONMENT_LABELS: Record<Environment, string> = { PRODUCTION: "Production", STAGING: "Staging" };

export const TIERS = [1, 2, 3] as const;
export const TIER_LABELS: Record<number, string> = {
  1: "Tier 1 · business critical",
  2: "Tier 2 · important",
  3: "Tier 3 · best effort",
};

/** The three links a service carries; the form field, the column and how people call it. */
export const SERVICE_LINKS = [
  { field: "repoUrl", label: "Repository" },
  { field: "runbookUrl", label: "Runbook" },
  { field: "dashboardUrl", label: "Dashboard" },
] as const;

/** Empty, or an absolute http(s) URL: a javascript: or file: link must never reach a page. */
function link(label: string) {
  return z
    .string()
    .trim()
    .max(2000, `Keep the ${label.toLowerCase()} link under 2,000 characters.`)
    .refine((value) => value === "" || isHttpUrl(value), {
      message: `Enter the full ${label.toLowerCase()} address starting with https:// or http://, or leave it empty.`,
    })
    .default("");
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

/** A form sends nothing, one id or several for a group of checkboxes; an API sends an array. */
const ZStakeholderIds = z.preprocess(
  (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(z.string().trim().min(1).max(64, "That is not a user id."), { message: "Choose the stakeholders from the list." })
    .max(50, "Name at most 50 stakeholders.")
    .transform((ids) => [...new Set(ids)]),
);

const serviceFields = {
  name: z
    .string({ message: "Enter the service's name." })
    .trim()
    .min(1, "Enter the service's name.")
    .max(100, "Keep the name under 100 characters.")
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, dots, dashes or underscores, like payments-api."),
  environment: z.enum(ENVIRONMENTS, { message: "Choose the environment." }),
  ownerTeam: z
    .string({ message: "Enter the team that owns the service." })
    .trim()
    .min(1, "Enter the team that owns the service.")
    .max(100, "Keep the team name under 100 characters."),
  tier: z.coerce
    .number({ message: "Choose a tier." })
    .int("Choose a tier.")
    .min(1, "Choose a tier.")
    .max(3, "Choose a tier."),
  description: z.string().trim().max(2000, "Keep the description under 2,000 characters.").default(""),
  repoUrl: link("Repository"),
  runbookUrl: link("Runbook"),
  dashboardUrl: link("Dashboard"),
  stakeholderIds: ZStakeholderIds,
};

export const ZCreateServiceInput = z.object(serviceFields);
export type TCreateServiceInput = z.infer<typeof ZCreateServiceInput>;

export const ZUpdateServiceInput = z.object({
  serviceId: z.string().trim().min(1, "Choose a service.").max(64, "That is not a service id."),
  ...serviceFields,
});
export type TUpdateServiceInput = z.infer<typeof ZUpdateServiceInput>;

/** The catalogue's filters, from the page's query string; anything unknown is ignored. */
export const ZServiceFilter = z.object({
  environment: z.enum(ENVIRONMENTS).optional().catch(undefined),
  team: z.string().trim().max(100).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
});
export type TServiceFilter = z.infer<typeof ZServiceFilter>;
