import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DriverContext } from "../types.ts";
import { commandDriver, parseColourOutput, ZCommandDriverConfig } from "./command.ts";
import { driverAvailable, driverFor, DRIVER_CONFIG_SCHEMAS, parseDriverConfig } from "./index.ts";
import { CommandError, runCommand } from "./run-command.ts";

/* Real /bin/sh commands: output streaming, timeouts, aborts, the environment, and the driver registry. */

function recorder() {
  const lines: { message: string; level: string }[] = [];
  const log = (message: string, level: "info" | "warn" | "error" = "info") => void lines.push({ message, level });
  return { lines, log };
}

function context(overrides: Partial<DriverContext> = {}): DriverContext & { lines: { message: string; level: string }[] } {
  const { lines, log } = recorder();
  return {
    service: { id: "svc1", name: "payments", environment: "PRODUCTION" },
    version: "4.2.0",
    urls: { BLUE: "http://127.0.0.1:4140", GREEN: "http://127.0.0.1:4141" },
    log,
    signal: new AbortController().signal,
    lines,
    ...overrides,
  };
}

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "ops-cmd-"));

describe("runCommand", () => {
  it("streams stdout and stderr to the log line by line, stderr as warnings", async () => {
    const { lines, log } = recorder();
    const result = await runCommand(`printf 'one\\ntwo'; echo three >&2; printf '\\nfour\\n'`, { label: "deploy", timeoutMs: 5_000, log });
    expect(result.exitCode).toBe(0);
    expect(lines.filter((l) => l.level === "info").map((l) => l.message)).toEqual(["deploy: one", "deploy: two", "deploy: four"]);
    expect(lines.filter((l) => l.level === "warn").map((l) => l.message)).toEqual(["deploy: three"]);
  });

  it("fails with the exit code and the last line written to stderr", async () => {
    const { log } = recorder();
    await expect(runCommand(`echo starting; echo "kubectl: context not found" >&2; exit 4`, { label: "deploy", timeoutMs: 5_000, log })).rejects.toMatchObject({
      name: "CommandError",
      message: "The deploy command exited with code 4: kubectl: context not found",
    });
  });

  it("kills the whole process group when the timeout runs out", async () => {
    const dir = tmp();
    const marker = path.join(dir, "survived");
    const { log } = recorder();
    const started = Date.now();
    // A child of the shell that would write the marker after 1.5 s unless killed with the group.
    const err = await runCommand(`(sleep 1.5; touch '${marker}') & sleep 30`, { label: "deploy", timeoutMs: 300, log }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as Error).message).toBe("The deploy command timed out after 0.3 s");
    expect(Date.now() - started).toBeLessThan(3_000);
    await new Promise((r) => setTimeout(r, 1_800));
    expect(existsSync(marker)).toBe(false);
  });

  it("stops when the deployment's signal aborts, saying why", async () => {
    const controller = new AbortController();
    const { log } = recorder();
    const running = runCommand("sleep 30", { label: "switch", timeoutMs: 60_000, log, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("a rollback was requested")), 100);
    await expect(running).rejects.toMatchObject({ message: "The switch command stopped: a rollback was requested" });
    await expect(runCommand("true", { label: "switch", timeoutMs: 1_000, log, signal: controller.signal })).rejects.toMatchObject({
      message: "The switch command was not started: a rollback was requested.",
    });
  });

  it("does not wait for a background process that keeps the output open after the command exited", async () => {
    const { log } = recorder();
    const started = Date.now();
    const result = await runCommand("sleep 5 & echo started", { label: "deploy", timeoutMs: 10_000, log });
    expect(result.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("gives commands the OPS_* variables but not the portal's secrets", async () => {
    process.env.APP_ENCRYPTION_KEY_FOR_TEST = "secret";
    const dir = tmp();
    const out = path.join(dir, "env");
    const driver = commandDriver(ZCommandDriverConfig.parse({ deployCommand: `env > '${out}'`, switchCommand: "true", statusCommand: "true" }));
    await driver.deploy(context(), "GREEN");
    const env = Object.fromEntries(
      readFileSync(out, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(env).toMatchObject({
      OPS_SERVICE: "payments",
      OPS_ENVIRONMENT: "production",
      OPS_VERSION: "4.2.0",
      OPS_COLOUR: "green",
      OPS_URL: "http://127.0.0.1:4141",
    });
    expect(env.PATH).toBeTruthy();
    expect(env.APP_ENCRYPTION_KEY_FOR_TEST).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
  });
});

describe("the command driver", () => {
  it("reads the live colour from the status command", async () => {
    expect(parseColourOutput("blue\n")).toBe("BLUE");
    expect(parseColourOutput("switching...\nGREEN\n")).toBe("GREEN");
    expect(parseColourOutput("")).toBeNull();
    expect(parseColourOutput("purple")).toBe("invalid");
    const driver = (status: string) => commandDriver(ZCommandDriverConfig.parse({ deployCommand: "true", switchCommand: "true", statusCommand: status }));
    expect(await driver("echo green").readLive(context())).toBe("GREEN");
    expect(await driver("true").readLive(context())).toBeNull();
    await expect(driver("echo purple").readLive(context())).rejects.toThrow('The status command printed "purple"; it must print blue, green or nothing.');
  });

  it("runs the preflight command when there is one", async () => {
    const ctx = context();
    await commandDriver(ZCommandDriverConfig.parse({ deployCommand: "true", switchCommand: "true", statusCommand: "true" })).preflight(ctx);
    expect(ctx.lines.map((l) => l.message)).toEqual(["No preflight command configured."]);
    const failing = commandDriver(ZCommandDriverConfig.parse({ deployCommand: "true", switchCommand: "true", statusCommand: "true", preflightCommand: "test -w /nonexistent/dir" }));
    await expect(failing.preflight(context())).rejects.toThrow("The preflight command exited with code 1");
  });
});

describe("the driver registry", () => {
  it("validates a driver's config with its schema, with messages per field", () => {
    expect(parseDriverConfig("COMMAND", JSON.stringify({ deployCommand: "deploy.sh", switchCommand: "switch.sh", statusCommand: "status.sh" }))).toEqual({
      ok: true,
      data: { deployCommand: "deploy.sh", switchCommand: "switch.sh", statusCommand: "status.sh", timeoutMs: 300_000 },
    });
    const bad = parseDriverConfig("COMMAND", { deployCommand: " ", switchCommand: "s", statusCommand: "s", timeoutMs: 10 });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { deployCommand: "Enter the deploy command.", timeoutMs: "Give commands at least 1 second (1000 ms)." } });
    expect(parseDriverConfig("COMMAND", "{not json")).toMatchObject({ ok: false, message: "The driver settings are not valid JSON." });
    expect(Object.keys(DRIVER_CONFIG_SCHEMAS)).toContain("COMMAND");
  });

  it("builds the target's driver, and says clearly when a driver is not available", () => {
    const target = { serviceId: "s", driverConfig: JSON.stringify({ deployCommand: "a", switchCommand: "b", statusCommand: "c" }), blueUrl: "", greenUrl: "", healthPath: "/health", webhookSecretSealed: "" };
    expect(driverFor({ ...target, driver: "COMMAND" })).toHaveProperty("switchTo");
    expect(() => driverFor({ ...target, driver: "COMMAND", driverConfig: "{}" })).toThrow("The command driver settings are invalid");
    for (const kind of ["NGINX", "WEBHOOK"] as const) {
      if (driverAvailable(kind)) continue; // added by its own module
      expect(() => driverFor({ ...target, driver: kind })).toThrow(`The ${kind.toLowerCase()} driver is not available`);
    }
  });
});
