import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

const ref = (prefix: string, n: number) => `${prefix}-${String(n).padStart(6, "0")}`;

/**
 * A new production service (unique name) with a deployment target, an approved change, and a
 * deployed change with three deployments (rolled back, succeeded, still running), written straight
 * to the e2e database by deployments-seed-cli.ts. Returns references as people read them.
 */
export async function seedDeployments(): Promise<{
  serviceId: string;
  serviceName: string;
  approvedChange: string;
  deployedChange: string;
  /** Oldest first: rolled back, succeeded, running. */
  deployments: string[];
}> {
  const serviceName = `e2e-deploy-${randomBytes(3).toString("hex")}`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "node_modules/tsx/dist/cli.mjs",
      "e2e/support/deployments-seed-cli.ts",
      JSON.stringify({ serviceName, requesterEmail: "ops@demo.local", triggeredByEmail: "release@demo.local" }),
    ],
    { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db", LOG_LEVEL: "silent" } },
  );
  const out = JSON.parse(stdout.trim().split("\n").pop()!) as { serviceId: string; approved: number; deployed: number; deployments: number[] };
  return {
    serviceId: out.serviceId,
    serviceName,
    approvedChange: ref("CHG", out.approved),
    deployedChange: ref("CHG", out.deployed),
    deployments: out.deployments.map((n) => ref("DEP", n)),
  };
}

/** Moves a seeded running deployment on as its runner would (health check passed, switch running, two log lines). */
export async function advanceSeededDeployment(reference: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "e2e/support/deployments-seed-cli.ts", "advance", String(Number(reference.replace(/^DEP-/, "")))],
    { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db", LOG_LEVEL: "silent" } },
  );
}
