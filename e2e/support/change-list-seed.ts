import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

export type SeededChange = { number: number; reference: string; title: string };
export type ChangeSpec = { title: string; status: string; type: string; risk: string; other?: boolean; day: number; rejection?: string };

/**
 * Change requests for one spec, on two services of their own (`list-<tag>` in production and
 * `other-<tag>` in staging), so filters by service or by the tag in titles see only them.
 */
export async function seedChanges(
  changes: ChangeSpec[],
  requester = "ops@demo.local",
): Promise<{ tag: string; services: { main: string; other: string }; changes: SeededChange[] }> {
  const tag = randomBytes(3).toString("hex");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "node_modules/tsx/dist/cli.mjs",
      "e2e/support/change-list-seed-cli.ts",
      JSON.stringify({ tag, requester, changes: changes.map((c) => ({ ...c, title: c.title.replace("{tag}", tag) })) }),
    ],
    { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db", LOG_LEVEL: "silent" } },
  );
  const out = JSON.parse(stdout.trim().split("\n").pop()!) as { services: { main: string; other: string }; changes: SeededChange[] };
  return { tag, ...out };
}
