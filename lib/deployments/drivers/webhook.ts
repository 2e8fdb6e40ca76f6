import { createHmac } from "node:crypto";
import { z } from "zod";
import { openSecret } from "../../crypto/secret-box.ts";
import { sleepOrAbort } from "../probe.ts";
import { COLOURS, type Colour, type DeploymentDriver, type DriverContext } from "../types.ts";

/*
 * The webhook driver: a CI/CD system does the work. Each action is a signed POST
 *   {action, service, environment, version, colour, deploymentId}
 * with `X-Ops-Portal-Signature: sha256=<HMAC-SHA256 hex of the exact body>` (GETs sign the empty
 * body). The answer either settles it at once ({"status":"succeeded"|"failed"}) or says where to
 * poll: {"statusUrl": …}, a Location header, or the configured statusUrlTemplate. The status URL is
 * polled (signed GET) until it says succeeded or failed, within timeoutMs. readLive asks
 * GET <url>/live -> {"colour":"blue"|"green"|null}.
 */

const httpUrl = z
  .string()
  .trim()
  .url("Enter a full URL, e.g. https://ci.example.com/hooks/deploy")
  .refine((u) => /^https?:$/.test(new URL(u).protocol), "Only http:// and https:// URLs");

export const ZWebhookDriverConfig = z.object({
  url: httpUrl,
  /** Where to poll when the answer names no status URL; {id}, {deploymentId}, {action} and {colour} are filled in. */
  statusUrlTemplate: z
    .string()
    .trim()
    .refine((t) => /^https?:\/\//.test(t), "Only http:// and https:// URLs")
    .optional(),
  pollIntervalMs: z.number().int().min(100).max(60_000).default(2_000),
  timeoutMs: z.number().int().min(1_000).max(3_600_000).default(600_000),
});
export type WebhookDriverConfig = z.output<typeof ZWebhookDriverConfig>;

/** What the driver needs from the target besides its config: the sealed HMAC secret. */
export type WebhookTargetSettings = { webhookSecretSealed: string };

/** The context the webhook driver also wants: which deployment this is (sent in the body). */
export type WebhookContext = DriverContext;

export const SIGNATURE_HEADER = "X-Ops-Portal-Signature";

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

type Action = "deploy" | "switch";
type Status = { status?: unknown; message?: unknown; statusUrl?: unknown; id?: unknown };

async function readJson(res: Response): Promise<Status> {
  const text = await res.text();
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as Status) : {};
  } catch {
    throw new Error(`answered HTTP ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
}

export function createWebhookDriver(config: WebhookDriverConfig, target: WebhookTargetSettings): DeploymentDriver {
  const secret = () => {
    if (!target.webhookSecretSealed) throw new Error("The webhook driver has no secret: set one on the deployment target.");
    return openSecret(target.webhookSecretSealed);
  };

  async function signedFetch(url: string, init: { method: "GET" | "POST"; body?: string; signal: AbortSignal }): Promise<Response> {
    const body = init.body ?? "";
    const timeout = AbortSignal.timeout(Math.min(30_000, config.timeoutMs));
    try {
      return await fetch(url, {
        method: init.method,
        body: init.method === "POST" ? body : undefined,
        headers: { "content-type": "application/json", accept: "application/json", [SIGNATURE_HEADER]: signBody(secret(), body) },
        signal: AbortSignal.any([init.signal, timeout]),
        redirect: "manual",
      });
    } catch (error) {
      if (init.signal.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`${init.method} ${url} failed: ${timeout.aborted ? "no answer in time" : (cause?.code ?? cause?.message ?? (error as Error).message)}`);
    }
  }

  function statusUrlFrom(res: Response, answer: Status, action: Action, colour: Colour, deploymentId: string): string | null {
    const fill = (t: string) =>
      t
        .replaceAll("{id}", encodeURIComponent(typeof answer.id === "string" || typeof answer.id === "number" ? String(answer.id) : ""))
        .replaceAll("{deploymentId}", encodeURIComponent(deploymentId))
        .replaceAll("{action}", action)
        .replaceAll("{colour}", colour.toLowerCase());
    const named = typeof answer.statusUrl === "string" ? answer.statusUrl : res.headers.get("location");
    const raw = named ?? (config.statusUrlTemplate ? fill(config.statusUrlTemplate) : null);
    if (!raw) return null;
    const resolved = new URL(raw, config.url);
    if (!/^https?:$/.test(resolved.protocol)) throw new Error(`The webhook named a status URL that is not http(s): ${raw}`);
    return resolved.toString();
  }

  function settled(answer: Status, what: string): boolean {
    if (answer.status === "succeeded") return true;
    if (answer.status === "failed") {
      const why = typeof answer.message === "string" && answer.message ? `: ${answer.message}` : "";
      throw new Error(`The CI/CD system reports that ${what} failed${why}.`);
    }
    return false;
  }

  async function perform(ctx: WebhookContext, action: Action, colour: Colour): Promise<void> {
    const what = action === "deploy" ? `deploying ${ctx.version} to ${colour}` : `switching traffic to ${colour}`;
    const deploymentId = ctx.deploymentId ?? "";
    const body = JSON.stringify({
      action,
      service: ctx.service.name,
      environment: ctx.service.environment,
      version: ctx.version,
      colour: colour.toLowerCase(),
      deploymentId,
    });
    const started = Date.now();
    ctx.log(`POST ${config.url} (${action}, ${colour.toLowerCase()})`);
    const res = await signedFetch(config.url, { method: "POST", body, signal: ctx.signal });
    if (res.status === 401 || res.status === 403) throw new Error(`The webhook refused the signature (HTTP ${res.status}): check the secret on both sides.`);
    if (res.status >= 400) throw new Error(`The webhook answered HTTP ${res.status} to ${what}.`);
    const answer = await readJson(res);
    if (settled(answer, what)) return void ctx.log(`the CI/CD system reports ${what} succeeded`);
    const statusUrl = statusUrlFrom(res, answer, action, colour, deploymentId);
    if (!statusUrl) throw new Error("The webhook answered without a status (no statusUrl, Location header or status URL template).");
    ctx.log(`polling ${statusUrl} every ${config.pollIntervalMs} ms`);

    let last = "";
    while (Date.now() - started < config.timeoutMs) {
      await sleepOrAbort(config.pollIntervalMs, ctx.signal);
      const poll = await signedFetch(statusUrl, { method: "GET", signal: ctx.signal });
      if (poll.status >= 400) {
        await poll.body?.cancel();
        throw new Error(`The status URL answered HTTP ${poll.status} while ${what}.`);
      }
      const status = await readJson(poll);
      const state = typeof status.status === "string" ? status.status : "unknown";
      if (state !== last) ctx.log(`status: ${state}${typeof status.message === "string" && status.message ? ` (${status.message})` : ""}`);
      last = state;
      if (settled(status, what)) return void ctx.log(`the CI/CD system reports ${what} succeeded in ${Date.now() - started} ms`);
    }
    throw new Error(`The CI/CD system did not finish ${what} within ${config.timeoutMs} ms (last status: ${last || "none"}).`);
  }

  async function readLive(ctx: Pick<DriverContext, "signal">): Promise<Colour | null> {
    const url = `${config.url.replace(/\/+$/, "")}/live`;
    const res = await signedFetch(url, { method: "GET", signal: ctx.signal });
    if (res.status === 401 || res.status === 403) throw new Error(`GET ${url} refused the signature (HTTP ${res.status}): check the secret on both sides.`);
    if (res.status >= 400) throw new Error(`GET ${url} answered HTTP ${res.status}.`);
    const answer = (await readJson(res)) as { colour?: unknown };
    if (answer.colour === null || answer.colour === undefined || answer.colour === "") return null;
    const colour = String(answer.colour).toUpperCase() as Colour;
    if (!COLOURS.includes(colour)) throw new Error(`GET ${url} named an unknown colour: ${String(answer.colour)}.`);
    return colour;
  }

  return {
    async preflight(ctx) {
      secret();
      const live = await readLive(ctx);
      ctx.log(`the CI/CD system answers at ${config.url} (signature accepted); live colour ${live ?? "none yet"}`);
    },
    deploy: (ctx, colour) => perform(ctx, "deploy", colour),
    switchTo: (ctx, colour) => perform(ctx, "switch", colour),
    readLive,
  };
}
