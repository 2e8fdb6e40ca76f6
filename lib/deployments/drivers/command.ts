import { z } from "zod";
import type { Colour, DeploymentDriver, DriverContext } from "../types.ts";
import { deploymentEnv, runCommand } from "./run-command.ts";

/*
 * The command driver: the target's own shell commands deploy a version to a colour, move traffic
 * and say which colour is live (kubectl, helm, a script). Each runs with the OPS_* environment
 * (run-command.ts) and the configured timeout; a non-zero exit fails the step.
 */

const command = (what: string) =>
  z
    .string({ message: `Enter the ${what} command.` })
    .trim()
    .min(1, `Enter the ${what} command.`)
    .max(4000, `Keep the ${what} command under 4,000 characters.`);

export const ZCommandDriverConfig = z.object({
  /** Puts $OPS_VERSION on $OPS_COLOUR (which takes no traffic). */
  deployCommand: command("deploy"),
  /** Sends all traffic to $OPS_COLOUR. */
  switchCommand: command("switch"),
  /** Prints the live colour: "blue", "green" or nothing. */
  statusCommand: command("status"),
  /** Optional resource check before anything happens. */
  preflightCommand: z.preprocess(
    (v) => (typeof v === "string" && !v.trim() ? undefined : v),
    command("preflight").optional(),
  ),
  timeoutMs: z.coerce
    .number({ message: "Enter the command timeout in milliseconds." })
    .int("Enter the command timeout in whole milliseconds.")
    .min(1_000, "Give commands at least 1 second (1000 ms).")
    .max(60 * 60_000, "Keep the command timeout at most an hour (3600000 ms).")
    .default(300_000),
});
export type TCommandDriverConfig = z.infer<typeof ZCommandDriverConfig>;

/** Reads a status command's answer: "blue", "green" or nothing (the last non-empty line counts). */
export function parseColourOutput(stdout: string): Colour | null | "invalid" {
  const lines = stdout
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const last = (lines[lines.length - 1] ?? "").toLowerCase();
  if (!last || last === "none") return null;
  if (last === "blue") return "BLUE";
  if (last === "green") return "GREEN";
  return "invalid";
}

export function commandDriver(config: TCommandDriverConfig): DeploymentDriver {
  const run = (label: string, cmd: string, ctx: Pick<DriverContext, "service" | "urls" | "log" | "signal"> & { version?: string }, colour: Colour | null) =>
    runCommand(cmd, { label, timeoutMs: config.timeoutMs, log: ctx.log, signal: ctx.signal, env: deploymentEnv(ctx, colour) });

  return {
    async preflight(ctx) {
      if (!config.preflightCommand) {
        ctx.log("No preflight command configured.");
        return;
      }
      await run("preflight", config.preflightCommand, ctx, null);
    },
    async deploy(ctx, colour) {
      await run("deploy", config.deployCommand, ctx, colour);
    },
    async switchTo(ctx, colour) {
      await run("switch", config.switchCommand, ctx, colour);
    },
    async readLive(ctx) {
      const result = await runCommand(config.statusCommand, {
        label: "status",
        timeoutMs: config.timeoutMs,
        log: ctx.log,
        signal: ctx.signal,
        env: deploymentEnv(ctx, null),
        logStdout: false,
      });
      const colour = parseColourOutput(result.stdout);
      if (colour === "invalid") {
        const said = result.stdout.trim().split("\n").pop()?.slice(0, 100) ?? "";
        throw new Error(`The status command printed "${said}"; it must print blue, green or nothing.`);
      }
      return colour;
    },
  };
}
