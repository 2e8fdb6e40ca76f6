import { expect, type Page } from "@playwright/test";

/** Step one of sign-in only: email and password. */
export async function enterPassword(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

export async function expectSignedIn(page: Page): Promise<void> {
  // Landing on the dashboard after sign-in renders the whole shell: allow for a busy machine.
  await expect(page.getByRole("button", { name: /Account menu/ })).toBeVisible({ timeout: 30_000 });
}

/** The enrolment screen's key as a person would read it off the page, without the spaces. */
export async function readSetupKey(page: Page): Promise<string> {
  const key = page.getByLabel("Setup key", { exact: true });
  await expect(key).toBeVisible();
  return (await key.innerText()).replace(/\s+/g, "");
}

export async function confirmEnrolment(page: Page, code: string): Promise<void> {
  await page.getByLabel("Code from the app").fill(code);
  await page.getByRole("button", { name: "Confirm and continue" }).click();
}

/** On the recovery-codes screen: returns the codes, ticks "saved" and continues into the portal. */
export async function saveCodesAndContinue(page: Page, screenshot?: string): Promise<string[]> {
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const codes = (await list.getByRole("listitem").allInnerTexts()).map((t) => t.replace(/^\s*\d+\.\s*/, "").trim());
  const proceed = page.getByRole("button", { name: "Continue to Ops Portal" });
  await expect(proceed).toBeDisabled();
  if (screenshot) await page.screenshot({ path: `test-results/screens/${screenshot}.png`, fullPage: true });
  await page.getByLabel("I have saved these recovery codes somewhere safe.").check();
  await proceed.click();
  await expectSignedIn(page);
  return codes;
}

/** Waits, if needed, so that at least `seconds` remain in the current 30 s TOTP step. */
export async function atLeastLeftInStep(seconds: number): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 200));
}
