import { closeSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { generate } from "otplib";

export const DEMO_PASSWORD = "demo-Passw0rd!";
export const DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

const CLAIMS = path.join("test-results", ".totp-claims");

/** Claims (email, step) for this test across all Playwright workers: exclusive file creation. */
function claim(email: string, step: number): boolean {
  mkdirSync(CLAIMS, { recursive: true });
  try {
    closeSync(openSync(path.join(CLAIMS, `${email}-${step}`), "wx"));
    return true;
  } catch {
    return false;
  }
}

/**
 * A code for `email` from a time step no other test has used for that account: the portal
 * rightly refuses a code twice, so a second sign-in inside one 30 s step waits for the next step.
 * Codes are only taken with 10 s of their step left, so a test that claims the next step cannot
 * get its (newer) code accepted before this one is submitted.
 */
export async function freshCode(email: string, secret = DEMO_TOTP_SECRET): Promise<string> {
  for (;;) {
    const now = Date.now();
    const step = Math.floor(now / 30_000);
    if ((step + 1) * 30_000 - now > 10_000 && claim(email, step)) {
      return generate({ secret, epoch: Math.floor(now / 1000) });
    }
    await new Promise((r) => setTimeout(r, (step + 1) * 30_000 - now + 100));
  }
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Authentication code").fill(await freshCode(email));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByRole("button", { name: /Account menu/ })).toBeVisible();
}
