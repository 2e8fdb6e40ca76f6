import { randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { access, readFile, rename, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { z } from "zod";
import type { Colour, DeploymentDriver, DriverContext } from "../types.ts";
import { joinUrl, sleepOrAbort } from "../probe.ts";
import { deploymentEnv, runCommand } from "./run-command.ts";

/*
 * The NGINX driver: traffic goes wherever the service's upstream include file points. Switching
 * rewrites that file (atomically, keeping the previous content), checks the whole configuration
 * with the test command (restoring the previous file when it fails), reloads Nginx (a graceful
 * reload: old workers finish their requests), and then asks Nginx itself until the new colour
 * answers. The file is also the truth readLive reads back: which colour's host:port it points to.
 */

const httpUrl = z
  .string()
  .trim()
  .url("Enter a full URL, e.g. http://127.0.0.1:8080")
  .refine((u) => /^https?:$/.test(new URL(u).protocol), "Only http:// and https:// URLs");

export const ZNginxDriverConfig = z.object({
  upstreamFile: z
    .string()
    .trim()
    .min(1, "Enter the path of the upstream include file")
    .refine((p) => path.isAbsolute(p), "Use an absolute path, e.g. /etc/nginx/conf.d/payments-upstream.conf"),
  upstreamName: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "Letters, digits, . _ and - only (the name proxy_pass uses)"),
  testCommand: z.string().trim().min(1).default("nginx -t"),
  reloadCommand: z.string().trim().min(1).default("nginx -s reload"),
  /** The service's URL through Nginx; the health path is appended to verify a switch. */
  proxyUrl: httpUrl,
  deployCommand: z.string().trim().optional(),
  /** A response header naming the colour that answered (e.g. X-Colour: green), checked when set. */
  colourHeader: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,64}$/, "A header name, e.g. X-Colour")
    .optional(),
  timeoutMs: z.number().int().min(1_000).max(600_000).default(30_000),
});
export type NginxDriverConfig = z.output<typeof ZNginxDriverConfig>;

/** What the driver needs from the target besides its own config. */
export type NginxTargetSettings = { healthPath: string };

const MANAGED_MARK = "# Managed by Ops Portal";
/** Verification through Nginx: answers from the new colour needed in a row, and the pause between requests. */
const VERIFY_IN_A_ROW = 3;
const VERIFY_INTERVAL_MS = 25;

/** host:port as an Nginx `server` line wants it, from a colour's base URL. */
export function upstreamAddress(url: string): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  return `${u.hostname}:${port}`;
}

/** The include file for `colour` (pure: tests and the target page show it as a preview). */
export function renderUpstream(
  config: Pick<NginxDriverConfig, "upstreamName">,
  service: DriverContext["service"],
  colour: Colour,
  url: string,
  now = new Date(),
): string {
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");
  return [
    `${MANAGED_MARK}: service "${oneLine(service.name)}" (${oneLine(service.environment)}), live colour ${colour}.`,
    `# Written ${now.toISOString()}. Edits are overwritten by the next deployment or rollback.`,
    `upstream ${config.upstreamName} {`,
    `    server ${upstreamAddress(url)};`,
    `}`,
    ``,
  ].join("\n");
}

/**
 * Which colour an include file sends traffic to: its `server` address matched against the two
 * colours' URLs. null when the file declares no server; an Error when it points elsewhere.
 */
export function parseUpstream(content: string, urls: Record<Colour, string>): Colour | null {
  const withoutComments = content.replace(/#[^\n]*/g, "");
  const servers = [...withoutComments.matchAll(/\bserver\s+([^\s;]+)[^;]*;/g)].map((m) => m[1] as string);
  if (servers.length === 0) return null;
  const colours = new Set<Colour>();
  for (const server of servers) {
    const colour = (Object.keys(urls) as Colour[]).find((c) => upstreamAddress(urls[c]) === server);
    if (!colour) throw new Error(`The upstream file points to ${server}, which is neither the blue nor the green URL.`);
    colours.add(colour);
  }
  if (colours.size > 1) throw new Error("The upstream file sends traffic to both blue and green.");
  return [...colours][0] ?? null;
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Replaces `file` in one step: a reader (Nginx) sees the old content or the new, never half of it. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, content, { encoding: "utf8", mode: 0o644, flush: true });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function restore(file: string, previous: string | null): Promise<void> {
  if (previous === null) await rm(file, { force: true });
  else await writeAtomically(file, previous);
}

type Answer = { status: number; colour: string | null };

/** One GET on a fresh connection (no keep-alive: each answer comes from the current Nginx workers). */
function getOnce(url: string, colourHeader: string | undefined, timeoutMs: number, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith("https:") ? https : http;
    const req = client.get(url, { agent: false, timeout: timeoutMs, signal, headers: { "user-agent": "ops-portal-deploy-verify" } }, (res) => {
      const header = colourHeader ? res.headers[colourHeader.toLowerCase()] : undefined;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, colour: typeof header === "string" ? header.trim() : null }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

export function createNginxDriver(config: NginxDriverConfig, target: NginxTargetSettings): DeploymentDriver {
  const run = (ctx: DriverContext, label: string, command: string, colour: Colour | null) => {
    ctx.log(`${label}: ${command}`);
    return runCommand(command, { label, timeoutMs: config.timeoutMs, log: ctx.log, signal: ctx.signal, env: deploymentEnv(ctx, colour) });
  };

  /** Asks Nginx (proxyUrl + health path) until `colour` answers, or gives up after timeoutMs. */
  async function verifyThroughNginx(ctx: DriverContext, colour: Colour): Promise<void> {
    const url = joinUrl(config.proxyUrl, target.healthPath);
    const want = colour.toLowerCase();
    const started = Date.now();
    let attempts = 0;
    let last = "no answer yet";
    let firstOkAt: number | null = null;
    let consecutive = 0;
    const settleMs = Math.min(1_000, Math.floor(config.timeoutMs / 4));
    while (Date.now() - started < config.timeoutMs) {
      attempts += 1;
      try {
        const answer = await getOnce(url, config.colourHeader, Math.min(5_000, config.timeoutMs), ctx.signal);
        const ok = answer.status >= 200 && answer.status < 300;
        const colourOk = !config.colourHeader || answer.colour?.toLowerCase() === want;
        if (ok && colourOk && config.colourHeader) {
          // The reload starts new workers before the old ones stop accepting: for a few
          // milliseconds a new connection may still reach an old worker (the old colour, still
          // serving). Done when the new colour answered several times in a row.
          consecutive += 1;
          if (consecutive >= VERIFY_IN_A_ROW) {
            ctx.log(
              `${url} answered ${answer.status} (${config.colourHeader}: ${answer.colour}) through Nginx ${VERIFY_IN_A_ROW} times in a row, after ${attempts} requests in ${Date.now() - started} ms`,
            );
            return;
          }
          await sleepOrAbort(VERIFY_INTERVAL_MS, ctx.signal);
          continue;
        }
        consecutive = 0;
        if (ok && !config.colourHeader) {
          // Without a header naming the colour, an answer may still come from the old workers:
          // keep asking for a settle period, every answer must be 2xx.
          firstOkAt ??= Date.now();
          if (Date.now() - firstOkAt >= settleMs) {
            ctx.log(`${url} answered 2xx through Nginx for ${settleMs} ms (${attempts} requests); no colour header is configured, so which colour answered is not checked`);
            return;
          }
        } else firstOkAt = null;
        last = config.colourHeader
          ? `HTTP ${answer.status}, ${config.colourHeader}: ${answer.colour ?? "(missing)"}`
          : `HTTP ${answer.status}`;
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        last = (error as Error).message;
      }
      await sleepOrAbort(VERIFY_INTERVAL_MS, ctx.signal);
    }
    throw new Error(`${colour} did not answer through Nginx at ${url} within ${config.timeoutMs} ms (${attempts} requests; last: ${last}).`);
  }

  async function readLive(ctx: Pick<DriverContext, "urls">): Promise<Colour | null> {
    const content = await readIfExists(config.upstreamFile);
    if (content === null) return null;
    return parseUpstream(content, ctx.urls);
  }

  return {
    async preflight(ctx) {
      const dir = path.dirname(config.upstreamFile);
      try {
        await access(dir, fsConstants.W_OK);
      } catch {
        throw new Error(`The portal cannot write to ${dir} (the upstream file's directory).`);
      }
      const current = await readIfExists(config.upstreamFile);
      if (current === null) ctx.log(`${config.upstreamFile} does not exist yet: the switch will create it`);
      else if (!current.startsWith(MANAGED_MARK)) ctx.log(`${config.upstreamFile} was not written by the portal: the switch will replace it`, "warn");
      const live = current === null ? null : parseUpstream(current, ctx.urls);
      ctx.log(`upstream file ${config.upstreamFile} is writable; it sends traffic to ${live ?? "nothing yet"}`);
      try {
        await run(ctx, "nginx test", config.testCommand, live);
      } catch (error) {
        throw new Error(`The Nginx configuration test failed before anything changed. ${(error as Error).message}`);
      }
    },

    async deploy(ctx, colour) {
      if (!config.deployCommand) {
        ctx.log(`no deploy command configured: ${colour} at ${ctx.urls[colour]} is expected to run ${ctx.version} already`);
        return;
      }
      await run(ctx, "deploy", config.deployCommand, colour);
    },

    async switchTo(ctx, colour) {
      const file = config.upstreamFile;
      const previous = await readIfExists(file);
      await writeAtomically(file, renderUpstream(config, ctx.service, colour, ctx.urls[colour]));
      ctx.log(`wrote ${file}: upstream ${config.upstreamName} -> ${upstreamAddress(ctx.urls[colour])} (${colour})`);

      try {
        await run(ctx, "nginx test", config.testCommand, colour);
      } catch (error) {
        await restore(file, previous);
        ctx.log(`restored the previous ${file}`, "warn");
        throw new Error(`The Nginx configuration test failed; the previous upstream file was put back and traffic did not move. ${(error as Error).message}`);
      }
      try {
        await run(ctx, "nginx reload", config.reloadCommand, colour);
      } catch (error) {
        await restore(file, previous);
        ctx.log(`restored the previous ${file}`, "warn");
        throw new Error(`Reloading Nginx failed; the previous upstream file was put back. ${(error as Error).message}`);
      }
      await verifyThroughNginx(ctx, colour);
    },

    readLive,
  };
}
