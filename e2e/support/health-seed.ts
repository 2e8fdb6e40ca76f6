import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

/** A new service of the spec's own (unique name), optionally with a check and a maintenance window. */
export async function seedHealthService(
  options: { withCheck?: { name: string; url: string }; withMaintenance?: { reason: string; createdByEmail: string } } = {},
): Promise<{ serviceId: string; serviceName: string }> {
  const serviceName = `e2e-health-${randomBytes(3).toString("hex")}`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "e2e/support/health-seed-cli.ts", JSON.stringify({ serviceName, ...options })],
    { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db", LOG_LEVEL: "silent" } },
  );
  const out = JSON.parse(stdout.trim().split("\n").pop()!) as { serviceId: string };
  return { serviceId: out.serviceId, serviceName };
}

/** The demo "blue" backend of the e2e server (lib/demo/backends.ts): DEMO_BACKEND_PORTS, else E2E_PORT + 1101. */
export function demoBlueUrl(): string {
  const configured = process.env.DEMO_BACKEND_PORTS?.split(",")[0]?.trim();
  const port = configured ? Number(configured) : Number(process.env.E2E_PORT ?? 3210) + 1101;
  return `http://127.0.0.1:${port}`;
}
