import { expect, type Page } from "@playwright/test";
import { generate } from "otplib";

export const DEMO_PASSWORD = "demo-Passw0rd!";
export const DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

const lastStepUsed = new Map<string, number>();

/**
 * A code for `email` from a time step this worker has not used for that account yet: the portal
 * rightly refuses a code twice, so a second sign-in inside one 30 s step waits for the next step.
 */
export async function freshCode(email: string): Promise<string> {
  let step = Math.floor(Date.now() / 30_000);
  if (lastStepUsed.get(email) === step) {
    await new Promise((r) => setTimeout(r, (step + 1) * 30_000 - Date.now() + 200));
    step = Math.floor(Date.now() / 30_000);
  }
  lastStepUsed.set(email, step);
  return generate({ secret: DEMO_TOTP_SECRET });
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
