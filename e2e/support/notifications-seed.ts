import { execFile } from "node:child_process";
import { promisify } from "node:util";

export type SeedNotification = { kind?: string; title: string; body?: string; link?: string };

/** Notifies the user with this email in the e2e database, oldest first, through the portal's notify(). */
export async function seedNotifications(email: string, notifications: SeedNotification[]): Promise<void> {
  const input = { email, notifications: notifications.map((n) => ({ kind: "e2e.test", ...n })) };
  await promisify(execFile)(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "e2e/support/notifications-seed-cli.ts", JSON.stringify(input)],
    { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db", LOG_LEVEL: "silent" } },
  );
}
