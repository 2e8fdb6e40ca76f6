import { execFile } from "node:child_process";
import { z } from "zod";
import type { DeploymentDriverKind } from "../../db/client.ts";
import type { Colour, DeploymentDriver } from "../types.ts";

/*
 * PLACEHOLDER until the engine's drivers land on main (wip/gates only): the contract of
 * lib/deployments/drivers/index.ts as HELPER-BRIEF.md describes it, with just enough behaviour for
 * the trigger's read-back of the live colour (the command driver's statusCommand). Replaced
 * wholesale by the engine's module when main is merged.
 */

const timeoutMs = z.coerce.number().int().min(1000).max(3_600_000).default(300_000);

export const DRIVER_CONFIG_SCHEMAS = {
  COMMAND: z.object({
    deployCommand: z.string().trim().min(1).max(4000),
    switchCommand: z.string().trim().min(1).max(4000),
    statusCommand: z.string().trim().min(1).max(4000),
    preflightCommand: z.string().trim().max(4000).optional(),
    timeoutMs,
  }),
  NGINX: z.object({
    upstreamFile: z.string().trim().min(1).max(1000),
    upstreamName: z.string().trim().min(1).max(100),
    testCommand: z.string().trim().min(1).max(4000).default("nginx -t"),
    reloadCommand: z.string().trim().min(1).max(4000).default("nginx -s reload"),
    proxyUrl: z.url({ protocol: /^https?$/ }),
    deployCommand: z.string().trim().max(4000).optional(),
    colourHeader: z.string().trim().max(100).optional(),
    timeoutMs,
  }),
  WEBHOOK: z.object({
    url: z.url({ protocol: /^https?$/ }),
    statusUrlTemplate: z.string().trim().max(2000).optional(),
    pollIntervalMs: z.coerce.number().int().min(100).max(60_000).default(2000),
    timeoutMs,
  }),
} satisfies Record<DeploymentDriverKind, z.ZodType>;

export function parseDriverConfig(kind: DeploymentDriverKind, json: string | unknown): unknown {
  return DRIVER_CONFIG_SCHEMAS[kind].parse(typeof json === "string" ? JSON.parse(json) : json);
}

function runStatus(command: string, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("/bin/sh", ["-c", command], { timeout: ms }, (err, stdout, stderr) => {
      if (err) reject(new Error(`status command failed: ${String(stderr || err.message).trim()}`));
      else resolve(stdout);
    });
  });
}

export function driverFor(target: { driver: DeploymentDriverKind; driverConfig: string }): DeploymentDriver {
  const unavailable = async () => {
    throw new Error(`The ${target.driver.toLowerCase()} driver is not available in this build.`);
  };
  return {
    preflight: unavailable,
    deploy: unavailable,
    switchTo: unavailable,
    async readLive(): Promise<Colour | null> {
      if (target.driver !== "COMMAND") return unavailable();
      const config = DRIVER_CONFIG_SCHEMAS.COMMAND.parse(JSON.parse(target.driverConfig));
      const out = (await runStatus(config.statusCommand, 10_000)).trim().toLowerCase();
      if (out === "blue") return "BLUE";
      if (out === "green") return "GREEN";
      if (out === "") return null;
      throw new Error(`The status command printed “${out.slice(0, 40)}”, not blue or green.`);
    },
  };
}
