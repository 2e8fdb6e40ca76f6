import { spawn } from "node:child_process";
import type { Colour, DriverContext, StepLogger } from "../types.ts";

/*
 * Runs one configured shell command (`/bin/sh -c`) for a driver: bounded by a timeout, stopped by
 * the deployment's AbortSignal, its stdout/stderr streamed line by line into the deployment log.
 * The command runs in its own process group so a timeout or an abort stops everything it started
 * (kubectl, helm, a sleep in a script), not just the shell.
 *
 * The environment is deliberately small: the portal's own secrets (database URL, encryption and
 * auth keys) are not passed to commands. They get PATH, HOME, locale and proxy settings, KUBECONFIG,
 * and the OPS_* variables describing the deployment.
 */

const PASSED_THROUGH = ["PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR", "KUBECONFIG", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"];
/** How long a stopped command gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** Output kept in memory per stream (the tail), and the longest line written to the log. */
const KEEP_CHARS = 64 * 1024;
const MAX_LINE = 2_000;
/** Lines of one command written to the log before the rest is only counted. */
const MAX_LOGGED_LINES = 500;

export type CommandResult = { exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; durationMs: number };

export class CommandError extends Error {
  constructor(
    message: string,
    readonly result: CommandResult,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

export type RunCommandOptions = {
  /** Names the command in log lines and errors ("deploy", "switch"). */
  label: string;
  timeoutMs: number;
  log: StepLogger;
  signal?: AbortSignal;
  env?: Record<string, string>;
  cwd?: string;
  /** Write stdout lines to the log (default true; a status command's answer is not worth a line each time). */
  logStdout?: boolean;
};

/** The OPS_* environment a command sees for `colour` (empty strings for what does not apply). */
export function deploymentEnv(ctx: Pick<DriverContext, "service" | "urls"> & { version?: string }, colour: Colour | null): Record<string, string> {
  return {
    OPS_SERVICE: ctx.service.name,
    OPS_ENVIRONMENT: ctx.service.environment.toLowerCase(),
    OPS_VERSION: ctx.version ?? "",
    OPS_COLOUR: colour ? colour.toLowerCase() : "",
    OPS_URL: colour ? ctx.urls[colour] : "",
  };
}

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  return env;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** Splits a stream into lines (the last partial line is kept until more arrives or the end). */
function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let rest = "";
  return {
    push(chunk) {
      rest += chunk;
      let nl: number;
      while ((nl = rest.indexOf("\n")) >= 0) {
        onLine(rest.slice(0, nl).replace(/\r$/, ""));
        rest = rest.slice(nl + 1);
      }
      if (rest.length > MAX_LINE * 4) {
        onLine(rest);
        rest = "";
      }
    },
    end() {
      if (rest) onLine(rest);
      rest = "";
    },
  };
}

/**
 * Runs `command` and resolves with its output when it exits 0. Rejects with a CommandError when it
 * exits non-zero, is killed by a signal, times out, or is stopped through `signal`; the message says
 * which, with the last line it wrote to stderr.
 */
export function runCommand(command: string, options: RunCommandOptions): Promise<CommandResult> {
  const { label, log, signal } = options;
  const started = performance.now();
  if (signal?.aborted) {
    const result = { exitCode: null, signal: null, stdout: "", stderr: "", durationMs: 0 };
    return Promise.reject(new CommandError(`The ${label} command was not started: ${reasonOf(signal)}.`, result));
  }
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", command], {
      cwd: options.cwd,
      env: { ...baseEnv(), ...options.env } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group: killed as a whole
    });
    let stdout = "";
    let stderr = "";
    let lastErrLine = "";
    let logged = 0;
    let dropped = 0;
    const write = (line: string, level: "info" | "warn") => {
      if (logged >= MAX_LOGGED_LINES) {
        dropped++;
        return;
      }
      logged++;
      log(`${label}: ${line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line}`, level);
    };
    const outLines = lineSplitter((line) => {
      if (options.logStdout !== false) write(line, "info");
    });
    const errLines = lineSplitter((line) => {
      if (line.trim()) lastErrLine = line.trim();
      write(line, "warn");
    });
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout = (stdout + chunk).slice(-KEEP_CHARS);
      outLines.push(chunk);
    });
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-KEEP_CHARS);
      errLines.push(chunk);
    });

    let stopReason: string | null = null;
    let killTimer: NodeJS.Timeout | null = null;
    const stop = (why: string) => {
      if (stopReason) return;
      stopReason = why;
      killGroup(child.pid, "SIGTERM");
      killTimer = setTimeout(() => killGroup(child.pid, "SIGKILL"), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => stop(`timed out after ${seconds(options.timeoutMs)}`), options.timeoutMs);
    const onAbort = () => stop(`stopped: ${reasonOf(signal)}`);
    signal?.addEventListener("abort", onAbort, { once: true });

    const settle = (exitCode: number | null, exitSignal: NodeJS.Signals | null, spawnError?: Error) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener("abort", onAbort);
      outLines.end();
      errLines.end();
      if (dropped) log(`${label}: … ${dropped} more lines not shown`, "warn");
      const result: CommandResult = { exitCode, signal: exitSignal, stdout, stderr, durationMs: Math.round(performance.now() - started) };
      const tail = lastErrLine ? `: ${lastErrLine.slice(0, 300)}` : "";
      if (spawnError) return reject(new CommandError(`The ${label} command could not start: ${spawnError.message}`, result));
      if (stopReason) return reject(new CommandError(`The ${label} command ${stopReason}${tail}`, result));
      if (exitCode !== 0) {
        const how = exitCode === null ? `was killed by ${exitSignal ?? "a signal"}` : `exited with code ${exitCode}`;
        return reject(new CommandError(`The ${label} command ${how}${tail}`, result));
      }
      resolve(result);
    };
    let settled = false;
    const once = (code: number | null, sig: NodeJS.Signals | null, err?: Error) => {
      if (settled) return;
      settled = true;
      settle(code, sig, err);
    };
    child.once("error", (err) => once(null, null, err));
    child.once("close", (code, sig) => once(code, sig));
    // A background process the command started may keep its output open after the shell exited
    // (a daemon): the command's own exit decides, shortly after, without waiting for the pipes.
    child.once("exit", (code, sig) => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        once(code, sig);
      }, 300).unref();
    });
  });
}

function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

function reasonOf(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason.message;
  if (typeof reason === "string") return reason;
  return "the deployment was stopped";
}
