import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { generate, generateSecret } from "otplib";

export type Role = "ADMIN" | "OPERATOR" | "RELEASE_MANAGER" | "STAKEHOLDER" | "AUDITOR" | "VIEWER";
export type Account = { id: string; email: string; name: string; role: Role; password: string; secret: string };

const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db";

function seed(args: string[], databaseUrl = E2E_DATABASE_URL): string {
  return execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "e2e/support/accounts-cli.ts", ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
}

/**
 * A user of its own for one spec, with its own authenticator secret: specs running in parallel
 * never trip each other's TOTP replay protection, and no spec depends on another's leftovers.
 */
export function createAccount(role: Role, name: string): Account {
  const tag = randomBytes(4).toString("hex");
  const account = {
    email: `${name.split(" ")[0]?.toLowerCase()}-${tag}@e2e.test`,
    name: `${name} ${tag}`,
    role,
    password: `e2e-${randomBytes(9).toString("base64url")}`,
    secret: generateSecret(),
  };
  const { id } = JSON.parse(seed(["user", JSON.stringify(account)])) as { id: string };
  return { id, ...account };
}

/** An API token of `account`, acting with its role, as the token page issues it; returns the secret. */
export function createApiTokenFor(account: Account, name = "e2e pipeline"): string {
  const out = seed(["api-token", JSON.stringify({ userId: account.id, email: account.email, role: account.role, name })]);
  return (JSON.parse(out) as { token: string }).token;
}

/** Replaces every IP rule in a (spawned server's) database. */
export function setIpRules(databaseUrl: string, rules: { allow?: string[]; trustedProxies?: string[] }): void {
  seed(["ip-rules", JSON.stringify(rules)], databaseUrl);
}

const lastStep = new Map<string, number>();

/** A code from a 30 s step not used yet for this account (the portal refuses a code twice). */
export async function codeFor(account: Account): Promise<string> {
  let step = Math.floor(Date.now() / 30_000);
  if ((lastStep.get(account.email) ?? -1) >= step) {
    await new Promise((r) => setTimeout(r, (step + 1) * 30_000 - Date.now() + 250));
    step = Math.floor(Date.now() / 30_000);
  }
  lastStep.set(account.email, step);
  return generate({ secret: account.secret });
}

export async function signInAs(page: Page, account: Account): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Authentication code").fill(await codeFor(account));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByRole("button", { name: /Account menu/ })).toBeVisible();
}

/** Answers the step-up dialog a guarded admin action opens. */
export async function confirmStepUp(page: Page, account: Account): Promise<void> {
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Authentication code").fill(await codeFor(account));
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
}
