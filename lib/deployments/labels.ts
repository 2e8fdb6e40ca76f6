import type { Colour, DeploymentStatus, DeploymentStepKind, DeploymentStepStatus } from "../db/client.ts";

/* Words people read for the deployments domain's enums (the UI, the API's summaries, notifications). */

export const DEPLOYMENT_STATUS_LABELS: Record<DeploymentStatus, string> = {
  RUNNING: "Running",
  ROLLING_BACK: "Rolling back",
  SUCCEEDED: "Succeeded",
  ROLLED_BACK: "Rolled back",
  FAILED: "Failed",
};

export const DEPLOYMENT_STEP_LABELS: Record<DeploymentStepKind, string> = {
  PREFLIGHT: "Preflight checks",
  DEPLOY: "Deploy to the idle colour",
  HEALTH_CHECK: "Health check the idle colour",
  SWITCH: "Switch traffic",
  VALIDATE: "Monitoring validation",
  DONE: "Done",
  ROLLBACK: "Roll back traffic",
};

export const STEP_STATUS_LABELS: Record<DeploymentStepStatus, string> = {
  PENDING: "Pending",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  SKIPPED: "Skipped",
};

export const COLOUR_LABELS: Record<Colour, string> = { BLUE: "Blue", GREEN: "Green" };

export const DRIVER_LABELS = { NGINX: "Nginx", COMMAND: "Command", WEBHOOK: "Webhook" } as const;

/** Statuses in which the runner still works on the deployment (the UI polls while one holds). */
export const ACTIVE_DEPLOYMENT_STATUSES = ["RUNNING", "ROLLING_BACK"] as const satisfies readonly DeploymentStatus[];

export function isActiveDeployment(status: DeploymentStatus): boolean {
  return (ACTIVE_DEPLOYMENT_STATUSES as readonly string[]).includes(status);
}

/** "850 ms", "4.2 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s` : `${s / 60} min`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}
