import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

export type SeededWindow = { title: string; start: string; end: string };
export type SeededFreeze = { start: string; end: string; environment: "PRODUCTION" | "STAGING" | null; reason: string };

/**
 * A new production service (unique name) with one SCHEDULED change per window, requested by a demo
 * user, and any freeze windows (by release@demo.local), written straight to the e2e database. Returns the service's name and the changes' numbers
 * as people read them (CHG-000123).
 */
export async function seedChangesOnOneService(
  windows: SeededWindow[],
  freezes: SeededFreeze[] = [],
  requesterEmail = "ops@demo.local",
): Promise<{ serviceName: string; numbers: string[] }> {
  const serviceName = `e2e-svc-${randomBytes(3).toString("hex")}`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "e2e/support/changes-seed-cli.ts", JSON.stringify({ serviceName, requesterEmail, windows, freezes })],
    { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db", LOG_LEVEL: "silent" } },
  );
  const { numbers } = JSON.parse(stdout.trim().split("\n").pop()!) as { numbers: number[] };
  return { serviceName, numbers: numbers.map((n) => `CHG-${String(n).padStart(6, "0")}`) };
}
