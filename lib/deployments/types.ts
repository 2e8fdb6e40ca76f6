import type { Colour, DeploymentStepKind } from "../db/client.ts";

/*
 * The contracts between the parts of the deployments domain: the runner (runner.ts) drives a
 * DeploymentDriver through the steps; drivers (drivers/*.ts) know one way of putting a version on a
 * colour and moving traffic; gates (gates.ts) decide whether a deployment may start at all.
 */

export type { Colour, DeploymentStepKind };

export const COLOURS = ["BLUE", "GREEN"] as const satisfies readonly Colour[];

export function otherColour(colour: Colour): Colour {
  return colour === "BLUE" ? "GREEN" : "BLUE";
}

/** The steps of every deployment, in order; ROLLBACK is appended only when traffic must move back. */
export const DEPLOYMENT_STEPS = ["PREFLIGHT", "DEPLOY", "HEALTH_CHECK", "SWITCH", "VALIDATE", "DONE"] as const satisfies readonly DeploymentStepKind[];

/** Writes one line to the deployment's live log (and the server log). */
export type StepLogger = (message: string, level?: "info" | "warn" | "error") => void;

/** What a driver is told about the deployment it works for. */
export type DriverContext = {
  service: { id: string; name: string; environment: string };
  version: string;
  /** The deployment the driver works for (absent for a bare read-back outside a deployment). */
  deploymentId?: string;
  /** Base URLs of the two colours (DeploymentTarget.blueUrl / greenUrl). */
  urls: Record<Colour, string>;
  log: StepLogger;
  /** Aborted when the deployment must stop (rollback requested, shutdown): drivers pass it on to children and requests. */
  signal: AbortSignal;
};

/**
 * One way of deploying a service blue-green. Every method throws (an Error whose message is
 * written for the person watching the log) when it did not achieve what it says.
 */
export interface DeploymentDriver {
  /** Resource verification before anything happens (config readable, commands present, files writable). */
  preflight(ctx: DriverContext): Promise<void>;
  /** Puts `ctx.version` on `colour`, which takes no traffic. */
  deploy(ctx: DriverContext, colour: Colour): Promise<void>;
  /** Sends all traffic to `colour`, and verifies it answers through the traffic path when the driver can. */
  switchTo(ctx: DriverContext, colour: Colour): Promise<void>;
  /**
   * The colour taking traffic now, read back from the target itself (never from the portal's
   * database); null when the target has no colour live yet.
   */
  readLive(ctx: Omit<DriverContext, "version">): Promise<Colour | null>;
}

/** One gate of DESIGN.md's "refuses to deploy unless", evaluated on the server. */
export type GateId =
  | "permission"
  | "step_up"
  | "target"
  | "status"
  | "checklist"
  | "window"
  | "freeze"
  | "service_busy";

export type GateResult = { id: GateId; label: string; ok: boolean; detail: string };
