import { z } from "zod";
import { recordAudit, type RequestContext } from "../audit/record.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { hasFreshStepUp } from "../auth/step-up.ts";
import { openSecret, sealSecret } from "../crypto/secret-box.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { assertPermission } from "../rbac/assert.ts";
import { parseInput } from "../validation/parse.ts";
import { fetchBuildInfo } from "./prometheus.ts";

/*
 * The Prometheus data source the Infrastructure panels and the API-performance page query. One per
 * portal, stored as the Setting "prometheus_datasource" (JSON). Basic-auth passwords and bearer
 * tokens are sealed with the portal's key (lib/crypto/secret-box.ts, rotated by `keys:rotate`) and
 * never leave the server: not in the audit trail, the logs, or anything a page receives.
 * Without a saved setting, PROMETHEUS_URL (no auth) is the default.
 */

export const PROMETHEUS_DATASOURCE_KEY = "prometheus_datasource";
export const AUTH_KINDS = ["none", "basic", "bearer"] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** What the Setting row holds (JSON). `secretSealed` is sealSecret() output or "". */
const ZStored = z.object({
  url: z.string(),
  auth: z.enum(AUTH_KINDS),
  username: z.string().default(""),
  secretSealed: z.string().default(""),
  timeoutMs: z.number().int().positive(),
  scrapeIntervalS: z.number().int().positive().default(15),
});
type Stored = z.infer<typeof ZStored>;

/** A data source ready to query: the secret opened. Server-side only; never hand it to a page. */
export type Datasource = {
  url: string;
  auth: { kind: "none" } | { kind: "basic"; username: string; password: string } | { kind: "bearer"; token: string };
  timeoutMs: number;
  /** The scrape interval the rate() windows are derived from (at least 4 scrapes per window). */
  scrapeIntervalS: number;
  source: "setting" | "env";
};

/** What a page may see: no secret, only whether one is stored. */
export type DatasourceView = {
  url: string;
  auth: AuthKind;
  username: string;
  hasSecret: boolean;
  timeoutMs: number;
  scrapeIntervalS: number;
  source: "setting" | "env";
  updatedAt: Date | null;
};

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_SCRAPE_INTERVAL_S = 15;

const ZUrl = z
  .string({ message: "Enter the Prometheus URL." })
  .trim()
  .min(1, "Enter the Prometheus URL.")
  .max(500, "Keep the URL under 500 characters.")
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, "The URL must be an http:// or https:// address such as http://prometheus.internal:9090, without a user name, password or query.")
  .transform((v) => v.replace(/\/+$/, ""));

export const ZSaveDatasourceInput = z
  .object({
    url: ZUrl,
    auth: z.enum(AUTH_KINDS, { message: "Choose how the portal signs in to Prometheus: none, basic or bearer token." }),
    username: z.string().trim().max(200, "Keep the user name under 200 characters.").default(""),
    /** Password (basic) or token (bearer); empty keeps the stored one. */
    secret: z.string().max(4000, "Keep the secret under 4,000 characters.").default(""),
    timeoutMs: z.coerce
      .number({ message: "Enter the timeout in milliseconds." })
      .int("The timeout is a whole number of milliseconds.")
      .min(500, "The timeout is at least 500 ms.")
      .max(120_000, "The timeout is at most 120,000 ms (2 minutes).")
      .default(DEFAULT_TIMEOUT_MS),
    scrapeIntervalS: z.coerce
      .number({ message: "Enter the scrape interval in seconds." })
      .int("The scrape interval is a whole number of seconds.")
      .min(1, "The scrape interval is at least 1 s.")
      .max(3600, "The scrape interval is at most 3,600 s.")
      .default(DEFAULT_SCRAPE_INTERVAL_S),
  })
  .superRefine((v, ctx) => {
    if (v.auth === "basic" && !v.username) ctx.addIssue({ code: "custom", path: ["username"], message: "Basic auth needs a user name." });
    if (v.auth === "basic" && v.username.includes(":")) ctx.addIssue({ code: "custom", path: ["username"], message: "A basic-auth user name cannot contain a colon." });
    if (/[\r\n]/.test(v.secret)) ctx.addIssue({ code: "custom", path: ["secret"], message: "The secret cannot contain line breaks." });
  });
export type TSaveDatasourceInput = z.input<typeof ZSaveDatasourceInput>;

async function readStored(): Promise<{ stored: Stored; updatedAt: Date } | null> {
  const row = await db.setting.findUnique({ where: { key: PROMETHEUS_DATASOURCE_KEY } });
  if (!row) return null;
  const parsed = ZStored.safeParse(JSON.parse(row.value));
  return parsed.success ? { stored: parsed.data, updatedAt: row.updatedAt } : null;
}

function envDefault(): Stored | null {
  const url = process.env.PROMETHEUS_URL?.trim();
  if (!url) return null;
  const parsed = ZUrl.safeParse(url);
  if (!parsed.success) return null;
  return { url: parsed.data, auth: "none", username: "", secretSealed: "", timeoutMs: DEFAULT_TIMEOUT_MS, scrapeIntervalS: DEFAULT_SCRAPE_INTERVAL_S };
}

function openStored(s: Stored, source: Datasource["source"]): Datasource {
  const secret = s.secretSealed ? openSecret(s.secretSealed) : "";
  const auth: Datasource["auth"] =
    s.auth === "basic" ? { kind: "basic", username: s.username, password: secret } : s.auth === "bearer" ? { kind: "bearer", token: secret } : { kind: "none" };
  return { url: s.url, auth, timeoutMs: s.timeoutMs, scrapeIntervalS: s.scrapeIntervalS, source };
}

/** The data source in force (saved setting, else PROMETHEUS_URL), or null when none is configured. */
export async function getDatasource(): Promise<Datasource | null> {
  const saved = await readStored();
  if (saved) return openStored(saved.stored, "setting");
  const env = envDefault();
  return env ? openStored(env, "env") : null;
}

/** The data source as the admin page shows it (never the secret). */
export async function getDatasourceView(): Promise<DatasourceView | null> {
  const saved = await readStored();
  const s = saved?.stored ?? envDefault();
  if (!s) return null;
  return {
    url: s.url,
    auth: s.auth,
    username: s.username,
    hasSecret: s.secretSealed !== "",
    timeoutMs: s.timeoutMs,
    scrapeIntervalS: s.scrapeIntervalS,
    source: saved ? "setting" : "env",
    updatedAt: saved?.updatedAt ?? null,
  };
}

async function assertStepUp(actor: CurrentUser, source: string): Promise<void> {
  if (source === "ui" && !(await hasFreshStepUp(actor))) {
    throw new AppError("step_up_required", "Confirm it is you: enter a current code from your authenticator app.");
  }
}

/**
 * Saves the data source (administrators, behind step-up). An empty secret keeps the stored one as
 * long as the auth kind stays the same; switching to "none" drops it. Audited without the secret.
 */
export async function saveDatasource(
  actor: CurrentUser,
  raw: TSaveDatasourceInput | Record<string, unknown>,
  context: RequestContext,
  source = "ui",
): Promise<{ changed: string[] }> {
  assertPermission(actor, "metrics.configure");
  await assertStepUp(actor, source);
  const parsed = parseInput(ZSaveDatasourceInput, raw);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.message, parsed.fieldErrors);
  const input = parsed.data;
  const secret = input.secret.trim();

  return db.$transaction(async (tx) => {
    const row = await tx.setting.findUnique({ where: { key: PROMETHEUS_DATASOURCE_KEY } });
    const beforeParsed = row ? ZStored.safeParse(JSON.parse(row.value)) : null;
    const before = beforeParsed?.success ? beforeParsed.data : null;
    let secretSealed = "";
    let secretChange: "set" | "unchanged" | "none" = "none";
    if (input.auth !== "none") {
      if (secret) {
        secretSealed = sealSecret(secret);
        secretChange = "set";
      } else if (before && before.auth === input.auth && before.secretSealed) {
        secretSealed = before.secretSealed;
        secretChange = "unchanged";
      } else {
        const what = input.auth === "basic" ? "password" : "bearer token";
        throw new AppError("invalid_input", `Enter the ${what}.`, { secret: `Enter the ${what}.` });
      }
    }
    const next: Stored = {
      url: input.url,
      auth: input.auth,
      username: input.auth === "basic" ? input.username : "",
      secretSealed,
      timeoutMs: input.timeoutMs,
      scrapeIntervalS: input.scrapeIntervalS,
    };
    const fields = ["url", "auth", "username", "timeoutMs", "scrapeIntervalS"] as const;
    const changed: string[] = before ? fields.filter((f) => before[f] !== next[f]) : [...fields];
    if (secretChange === "set") changed.push("secret");
    if (before && !changed.length) return { changed };
    await tx.setting.upsert({
      where: { key: PROMETHEUS_DATASOURCE_KEY },
      create: { key: PROMETHEUS_DATASOURCE_KEY, value: JSON.stringify(next), updatedById: actor.id },
      update: { value: JSON.stringify(next), updatedById: actor.id },
    });
    await recordAudit(tx, {
      action: "metrics.datasource_saved",
      actor: { id: actor.id, label: source === "ui" ? actor.email : `${actor.email} (${source})` },
      context,
      target: { type: "Setting", id: PROMETHEUS_DATASOURCE_KEY },
      changes: {
        created: !before,
        changed,
        url: next.url,
        auth: next.auth,
        ...(next.auth === "basic" ? { username: next.username } : {}),
        timeoutMs: next.timeoutMs,
        scrapeIntervalS: next.scrapeIntervalS,
        secret: secretChange,
      },
    });
    return { changed };
  });
}

export type ConnectionTest = { ok: true; version: string; url: string; ms: number } | { ok: false; message: string; url: string };

/**
 * "Test connection": asks Prometheus for its build info with the values in the form. The stored
 * secret is used only when the URL and auth kind are the saved ones, so nobody can send it to
 * another address by testing; otherwise the secret must be typed.
 */
export async function testDatasource(actor: CurrentUser, raw: TSaveDatasourceInput | Record<string, unknown>): Promise<ConnectionTest> {
  assertPermission(actor, "metrics.configure");
  const parsed = parseInput(ZSaveDatasourceInput, raw);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.message, parsed.fieldErrors);
  const input = parsed.data;
  let secret = input.secret.trim();
  if (!secret && input.auth !== "none") {
    const saved = await readStored();
    if (saved && saved.stored.url === input.url && saved.stored.auth === input.auth && saved.stored.secretSealed) {
      secret = openSecret(saved.stored.secretSealed);
    } else {
      const what = input.auth === "basic" ? "password" : "bearer token";
      throw new AppError("invalid_input", `Enter the ${what} to test a new address or sign-in method.`, { secret: `Enter the ${what}.` });
    }
  }
  const ds: Datasource = {
    url: input.url,
    auth:
      input.auth === "basic"
        ? { kind: "basic", username: input.username, password: secret }
        : input.auth === "bearer"
          ? { kind: "bearer", token: secret }
          : { kind: "none" },
    timeoutMs: input.timeoutMs,
    scrapeIntervalS: input.scrapeIntervalS,
    source: "setting",
  };
  const started = performance.now();
  try {
    const info = await fetchBuildInfo(ds);
    return { ok: true, version: info.version, url: ds.url, ms: Math.round(performance.now() - started) };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, message: err.message, url: ds.url };
    throw err;
  }
}
