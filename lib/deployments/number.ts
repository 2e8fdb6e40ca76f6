/** Deployment numbers as people say them: DEP-000123. */
export function formatDeploymentNumber(n: number): string {
  return `DEP-${String(n).padStart(6, "0")}`;
}

/** Accepts "DEP-000123", "dep-123" or "123"; null for anything else. */
export function parseDeploymentNumber(s: string): number | null {
  const m = /^(?:dep-?)?0*(\d{1,9})$/i.exec(s.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n : null;
}

/** Where a deployment's page is. */
export function deploymentLink(n: number): string {
  return `/deployments/${formatDeploymentNumber(n)}`;
}
