import { z } from "zod";
import { recordAudit, type RequestContext } from "../audit/record.ts";
import { hasFreshStepUp } from "../auth/step-up.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import type { ChangeActor } from "../changes/shared.ts";
import { sealSecret } from "../crypto/secret-box.ts";
import { db, type Colour } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { logger } from "../observability/logger.ts";
import { assertPermission } from "../rbac/assert.ts";
import { parseInput } from "../validation/parse.ts";
import { driverFor, parseDriverConfig } from "./drivers/index.ts";
import { formatDeploymentNumber } from "./number.ts";

/*
 * A service's deployment target: where its blue and green colours answer, how they are
 * health-checked and validated, and which driver moves traffic. Only administrators configure it
 * (the command driver runs shell commands on the portal host), behind step-up; secrets are sealed
 * and never reach the audit trail. The live colour is always read back from the target itself.
 */

const DRIVERS = ["COMMAND", "NGINX", "WEBHOOK"] as const;

const ZHttpUrl = (label: string) =>
  z
    .string({ message: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(500, `Keep the ${label} under 500 characters.`)
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password;
      } catch {
        return false;
      }
    }, `The ${label} must be an http:// or https:// address, without a user name or password.`);

const int = (label: string, min: number, max: number, unit = "") =>
  z.coerce
    .number({ message: `Enter the ${label} as a number.` })
    .int(`The ${label} is a whole number.`)
    .min(min, `The ${label} is at least ${min.toLocaleString("en-GB")}${unit}.`)
    .max(max, `The ${label} is at most ${max.toLocaleString("en-GB")}${unit}.`);

export const ZSaveDeploymentTargetInput = z
  .object({
    serviceId: z.string().trim().min(1, "Choose the service.").max(64),
    driver: z.enum(DRIVERS, { message: "Choose the driver: command, nginx or webhook." }),
    blueUrl: ZHttpUrl("blue URL"),
    greenUrl: ZHttpUrl("green URL"),
    healthPath: z
      .string()
      .trim()
      .max(500, "Keep the health-check path under 500 characters.")
      .regex(/^\/[^\s]*$/, "The health-check path starts with / and has no spaces.")
      .default("/health"),
    healthSuccesses: int("number of consecutive health checks", 1, 20).default(3),
    healthIntervalMs: int("health-check interval", 100, 60_000, " ms").default(1000),
    healthTimeoutMs: int("health-check timeout", 1000, 1_800_000, " ms").default(60_000),
    validationWindowMs: int("validation window", 1000, 3_600_000, " ms").default(60_000),
    validationIntervalMs: int("validation interval", 100, 60_000, " ms").default(500),
    maxErrorRatePct: z.coerce
      .number({ message: "Enter the maximum error rate as a number." })
      .min(0, "The maximum error rate is at least 0 %.")
      .max(100, "The maximum error rate is at most 100 %.")
      .default(1),
    maxP95LatencyMs: int("maximum p95 latency", 1, 600_000, " ms").default(500),
    /** The driver's settings, as JSON text (the form) or an object (the API). */
    driverConfig: z.union([z.string().max(20_000, "Keep the driver settings under 20,000 characters."), z.record(z.string(), z.unknown())]).default("{}"),
    /** The webhook driver's HMAC secret; empty keeps the stored one. */
    webhookSecret: z.string().max(500, "Keep the webhook secret under 500 characters.").default(""),
  })
  .superRefine((v, ctx) => {
    if (v.blueUrl === v.greenUrl) ctx.addIssue({ code: "custom", path: ["greenUrl"], message: "Blue and green must be different addresses." });
    if (v.healthIntervalMs * v.healthSuccesses > v.healthTimeoutMs) {
      ctx.addIssue({ code: "custom", path: ["healthTimeoutMs"], message: "The timeout must leave room for every consecutive health check at its interval." });
    }
    if (v.validationIntervalMs > v.validationWindowMs) {
      ctx.addIssue({ code: "custom", path: ["validationIntervalMs"], message: "The validation interval must fit inside the validation window." });
    }
  });
export type TSaveDeploymentTargetInput = z.input<typeof ZSaveDeploymentTargetInput>;

export type TargetActor = ChangeActor & { stepUpAt?: Date | null };

/** The driver settings checked with the driver's own schema; field errors are prefixed "driverConfig.". */
function parseConfig(driver: (typeof DRIVERS)[number], raw: string | Record<string, unknown>): Record<string, unknown> {
  const parsed = parseDriverConfig(driver, typeof raw === "string" ? raw.trim() : raw);
  if (parsed.ok) return parsed.data;
  const fields: Record<string, string> = {};
  for (const [k, m] of Object.entries(parsed.fieldErrors)) fields[k === "driver" || k === "driverConfig" ? k : `driverConfig.${k}`] = m;
  fields.driverConfig ??= parsed.message;
  const first = Object.entries(parsed.fieldErrors)[0];
  const message = first && first[0] !== "driverConfig" && first[0] !== "driver" ? `Driver settings: ${first[0]}: ${first[1]}` : parsed.message;
  throw new AppError("invalid_input", message, fields);
}

/**
 * Creates or replaces the deployment target of a service. Refused while a deployment of the
 * service runs (the runner reads the target as it goes). Audited without the webhook secret.
 */
export async function saveDeploymentTarget(
  actor: TargetActor,
  raw: TSaveDeploymentTargetInput | Record<string, unknown>,
  context: RequestContext,
  source = "ui",
): Promise<{ serviceId: string; created: boolean }> {
  assertPermission(actor, "deployment.configure");
  if (source === "ui" && !(await hasFreshStepUp({ stepUpAt: actor.stepUpAt ?? null } as CurrentUser))) {
    throw new AppError("step_up_required", "Confirm it is you: enter a current code from your authenticator app.");
  }
  const parsed = parseInput(ZSaveDeploymentTargetInput, raw);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.message, parsed.fieldErrors);
  const input = parsed.data;
  const config = parseConfig(input.driver, input.driverConfig);
  const secret = input.webhookSecret.trim();

  return db.$transaction(
    async (tx) => {
      const service = await tx.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true, environment: true } });
      if (!service) throw new AppError("not_found", "That service does not exist.");
      const before = await tx.deploymentTarget.findUnique({ where: { serviceId: service.id } });
      if (input.driver === "WEBHOOK" && !secret && !before?.webhookSecretSealed) {
        throw new AppError("invalid_input", "The webhook driver signs its requests: enter a webhook secret.", { webhookSecret: "Enter the webhook secret." });
      }
      const fields = {
        driver: input.driver,
        blueUrl: input.blueUrl,
        greenUrl: input.greenUrl,
        healthPath: input.healthPath,
        healthSuccesses: input.healthSuccesses,
        healthIntervalMs: input.healthIntervalMs,
        healthTimeoutMs: input.healthTimeoutMs,
        validationWindowMs: input.validationWindowMs,
        validationIntervalMs: input.validationIntervalMs,
        maxErrorRatePct: input.maxErrorRatePct,
        maxP95LatencyMs: input.maxP95LatencyMs,
        driverConfig: JSON.stringify(config),
      };
      const sealed = secret ? sealSecret(secret) : input.driver === "WEBHOOK" ? undefined : "";
      const data = { ...fields, ...(sealed !== undefined ? { webhookSecretSealed: sealed } : {}) };
      // A new driver or new addresses: what was read back before says nothing about them.
      const moved = before && (before.driver !== input.driver || before.blueUrl !== input.blueUrl || before.greenUrl !== input.greenUrl);
      if (before) {
        const { count } = await tx.deploymentTarget.updateMany({
          where: { serviceId: service.id, activeDeploymentId: null },
          data: { ...data, ...(moved ? { liveColour: null, liveCheckedAt: null } : {}) },
        });
        if (count === 0) {
          const running = before.activeDeploymentId
            ? await tx.deployment.findUnique({ where: { id: before.activeDeploymentId }, select: { number: true } })
            : null;
          throw new AppError(
            "conflict",
            `A deployment of ${service.name}${running ? ` (${formatDeploymentNumber(running.number)})` : ""} is running; save the target when it has finished.`,
          );
        }
      } else {
        await tx.deploymentTarget.create({ data: { serviceId: service.id, ...data } });
      }
      const changed = before
        ? Object.keys(fields).filter((k) => String(before[k as keyof typeof fields]) !== String(fields[k as keyof typeof fields]))
        : Object.keys(fields);
      await recordAudit(tx, {
        action: "deployment.target_saved",
        actor: { id: actor.id, label: source === "ui" ? actor.email : `${actor.email} (${source})` },
        context,
        target: { type: "Service", id: service.id },
        changes: {
          service: `${service.name} (${service.environment.toLowerCase()})`,
          created: !before,
          changed,
          ...fields,
          driverConfig: config,
          webhookSecret: secret ? "set" : before?.webhookSecretSealed && input.driver === "WEBHOOK" ? "unchanged" : "none",
        },
      });
      return { serviceId: service.id, created: !before };
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
}

/**
 * Reads which colour takes traffic from the target itself (the driver) and stores it with the
 * time. Throws an AppError a person can act on when the target cannot tell.
 */
export async function refreshLiveColour(serviceId: string): Promise<{ colour: Colour | null; checkedAt: Date }> {
  const target = await db.deploymentTarget.findUnique({
    where: { serviceId },
    include: { service: { select: { id: true, name: true, environment: true } } },
  });
  if (!target) throw new AppError("not_found", "This service has no deployment target.");
  let colour: Colour | null;
  try {
    colour = await driverFor(target).readLive({
      service: target.service,
      urls: { BLUE: target.blueUrl, GREEN: target.greenUrl },
      log: (message, level = "info") => logger[level]({ serviceId, what: "readLive" }, message),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new AppError("conflict", `Could not read which colour of ${target.service.name} is live: ${why}`);
  }
  const checkedAt = new Date();
  await db.deploymentTarget.update({ where: { serviceId }, data: { liveColour: colour, liveCheckedAt: checkedAt } });
  return { colour, checkedAt };
}
