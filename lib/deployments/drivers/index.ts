import type { z } from "zod";
import type { DeploymentDriverKind } from "../../db/client.ts";
import { parseInput, type Parsed } from "../../validation/parse.ts";
import type { DeploymentDriver } from "../types.ts";
import { commandDriver, ZCommandDriverConfig } from "./command.ts";
import { createNginxDriver, ZNginxDriverConfig } from "./nginx.ts";
import { createWebhookDriver, ZWebhookDriverConfig } from "./webhook.ts";

/*
 * The registry of drivers: one entry per DeploymentDriverKind with the zod schema of its config
 * (the target form validates with the same schema) and how to build it for a target. Adding a
 * driver is one line in DRIVERS.
 */

/** What a driver may read from its DeploymentTarget row. */
export type DriverTarget = {
  serviceId: string;
  driver: DeploymentDriverKind;
  driverConfig: string;
  blueUrl: string;
  greenUrl: string;
  healthPath: string;
  webhookSecretSealed: string;
};

type DriverDefinition<S extends z.ZodType> = { schema: S; create(config: z.infer<S>, target: DriverTarget): DeploymentDriver };

const define = <S extends z.ZodType>(schema: S, create: (config: z.infer<S>, target: DriverTarget) => DeploymentDriver): DriverDefinition<S> => ({
  schema,
  create,
});

const DRIVERS = {
  COMMAND: define(ZCommandDriverConfig, (config) => commandDriver(config)),
  NGINX: define(ZNginxDriverConfig, (config, target) => createNginxDriver(config, target)),
  WEBHOOK: define(ZWebhookDriverConfig, (config, target) => createWebhookDriver(config, target)),
} satisfies Partial<Record<DeploymentDriverKind, DriverDefinition<z.ZodType>>>;

type AvailableKind = keyof typeof DRIVERS;

/** The config schema of every available driver, by kind. */
export const DRIVER_CONFIG_SCHEMAS: { [K in AvailableKind]: (typeof DRIVERS)[K]["schema"] } = Object.fromEntries(
  Object.entries(DRIVERS).map(([kind, d]) => [kind, d.schema]),
) as { [K in AvailableKind]: (typeof DRIVERS)[K]["schema"] };

function definitionOf(kind: DeploymentDriverKind): DriverDefinition<z.ZodType> | null {
  return (DRIVERS as Partial<Record<DeploymentDriverKind, DriverDefinition<z.ZodType>>>)[kind] ?? null;
}

export function driverAvailable(kind: DeploymentDriverKind): boolean {
  return definitionOf(kind) !== null;
}

/**
 * Validates a driver config (a JSON string, as stored, or an object, as a form sends it) with the
 * driver's schema; messages per field for the target form.
 */
export function parseDriverConfig(kind: DeploymentDriverKind, json: string | unknown): Parsed<Record<string, unknown>> {
  const definition = definitionOf(kind);
  if (!definition) return { ok: false, message: `The ${kind.toLowerCase()} driver is not available.`, fieldErrors: { driver: `The ${kind.toLowerCase()} driver is not available.` } };
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json || "{}");
    } catch {
      return { ok: false, message: "The driver settings are not valid JSON.", fieldErrors: { driverConfig: "The driver settings are not valid JSON." } };
    }
  }
  return parseInput(definition.schema, value) as Parsed<Record<string, unknown>>;
}

/** The driver for a target, built from its stored config; throws an Error people can read when it cannot be. */
export function driverFor(target: DriverTarget): DeploymentDriver {
  const definition = definitionOf(target.driver);
  if (!definition) throw new Error(`The ${target.driver.toLowerCase()} driver is not available in this version of the portal.`);
  const parsed = parseDriverConfig(target.driver, target.driverConfig);
  if (!parsed.ok) throw new Error(`The ${target.driver.toLowerCase()} driver settings are invalid: ${parsed.message}`);
  return definition.create(parsed.data, target);
}
