import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { expect, type Page } from "@playwright/test";
import { generate, generateSecret } from "otplib";

export type Role = "ADMIN" | "OPERATOR" | "RELEASE_MANAGER" | "STAKEHOLDER" | "AUDITOR" | "VIEWER";
export type SeededUser = { id: string; email: string; name: string; role: Role; password: string; totpSecret: string };

const PASSWORD = "e2e-Passw0rd-long!";

/**
 * Fresh users of the given roles, each with its own TOTP secret (so specs never share a replay
 * window), created through the portal's own functions in the e2e database in one go. Optionally
 * `count` audit events "done" by the first of them on one target, for viewer tests.
 */
export async function seedUsers<const R extends readonly Role[]>(
  roles: R,
  options: { events?: { action: string; targetType: string; targetId: string; count: number } } = {},
): Promise<{ [K in keyof R]: SeededUser }> {
  const users = roles.map((role) => {
    const tag = randomBytes(4).toString("hex");
    return {
      email: `${role.toLowerCase().replace("_", "-")}-${tag}@e2e.test`,
      name: `E2E ${role.charAt(0)}${role.slice(1).toLowerCase().replace("_", " ")} ${tag}`,
      role,
      password: PASSWORD,
      totpSecret: generateSecret({ length: 20 }),
    };
  });
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "e2e/support/audit-seed-cli.ts", JSON.stringify({ users, events: options.events })],
    { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db", OPS_PORTAL_DEMO: "1" } },
  );
  const { ids } = JSON.parse(stdout.trim().split("\n").pop()!) as { ids: string[] };
  return users.map((u, i) => ({ id: ids[i]!, ...u })) as { [K in keyof R]: SeededUser };
}

export async function seedUser(role: Role): Promise<SeededUser> {
  const [user] = await seedUsers([role]);
  return user;
}

/** A valid code from the NEXT time step: accepted (one step of drift) even right after sign-in used this one. */
export function nextStepCode(user: SeededUser): Promise<string> {
  return generate({ secret: user.totpSecret, epoch: Math.floor(Date.now() / 1000) + 30 });
}

export async function signInAs(page: Page, user: SeededUser): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Authentication code").fill(await generate({ secret: user.totpSecret }));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  // Generous: argon2 and the first render are slow when the shared CI machine is busy.
  await expect(page.getByRole("button", { name: /Account menu/ })).toBeVisible({ timeout: 30_000 });
}

/** Fills the step-up dialog the portal opens before a sensitive action. */
export async function confirmStepUp(page: Page, user: SeededUser): Promise<void> {
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Authentication code").fill(await nextStepCode(user));
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
}
