import { execFile } from "node:child_process";
import { z } from "zod";
import type { DeploymentDriverKind } from "../../db/client.ts";
import { parseInput, type Parsed } from "../../validation/parse.ts";
import type { Colour, DeploymentDriver } from "../types.ts";

/*
 * PLACEHOLDER until the engine's drivers land on main (wip/gates only): the same exports and
 * signatures as the engine's lib/deployments/drivers/index.ts, with just enough behaviour for the
 * trigger's read-back of the live colour (the command driver's statusCommand). Replaced wholesale
 * by the engine's module when main is merged.
 */

export type DriverTarget = {
  serviceId: string;
  driver: DeploymentDriverKind;
  driverConfig: string;
  blueUrl: string;
  greenUrl: string;
  healthPath: string;
  webhookSecretSealed: string;
};

const command = (what: string) => z.string({ message: `Enter the ${what} command.` }).trim().min(1, `Enter the ${what} command.`).max(4000);

const ZCommandDriverConfig = z.object({
  deployCommand: command("deploy"),
  switchCommand: command("switch"),
  statusCommand: command("status"),
  preflightCommand: z.preprocess((v) => (typeof v === "string" && !v.trim() ? undefined : v), command("preflight").optional()),
  timeoutMs: z.coerce.number().int().min(1_000).max(60 * 60_000).default(300_000),
});

export const DRIVER_CONFIG_SCHEMAS = { COMMAND: ZCommandDriverConfig };

export function driverAvailable(kind: DeploymentDriverKind): boolean {
  return kind === "COMMAND";
}

export function parseDriverConfig(kind: DeploymentDriverKind, json: string | unknown): Parsed<Record<string, unknown>> {
  if (kind !== "COMMAND") return { ok: false, message: `The ${kind.toLowerCase()} driver is not available.`, fieldErrors: { driver: `The ${kind.toLowerCase()} driver is not available.` } };
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json || "{}");
    } catch {
      return { ok: false, message: "The driver settings are not valid JSON.", fieldErrors: { driverConfig: "The driver settings are not valid JSON." } };
    }
  }
  return parseInput(ZCommandDriverConfig, value) as Parsed<Record<string, unknown>>;
}

function runStatus(cmd: string, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("/bin/sh", ["-c", cmd], { timeout: ms }, (err, stdout, stderr) => {
      if (err) reject(new Error(`status command failed: ${String(stderr || err.message).trim()}`));
      else resolve(stdout);
    });
  });
}

export function driverFor(target: DriverTarget): DeploymentDriver {
  const parsed = parseDriverConfig(target.driver, target.driverConfig);
  if (!parsed.ok) throw new Error(`The ${target.driver.toLowerCase()} driver settings are invalid: ${parsed.message}`);
  const config = parsed.data as z.infer<typeof ZCommandDriverConfig>;
  const unavailable = async () => {
    throw new Error("Not available in this placeholder.");
  };
  return {
    preflight: unavailable,
    deploy: unavailable,
    switchTo: unavailable,
    async readLive(): Promise<Colour | null> {
      const out = (await runStatus(config.statusCommand, 10_000)).trim().toLowerCase();
      if (out === "blue") return "BLUE";
      if (out === "green") return "GREEN";
      if (out === "") return null;
      throw new Error(`The status command printed “${out.slice(0, 40)}”, not blue or green.`);
    },
  };
}
