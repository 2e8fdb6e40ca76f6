import { expect, test, type Page } from "@playwright/test";
import { generate } from "otplib";
import { enterPassword, expectSignedIn, signOut } from "../support/mfa";
import { seedUser } from "../support/seed";

// Several sign-ins and argon2 hashes per test, on a machine shared with other suites.
test.describe.configure({ timeout: 240_000 });

async function useRecoveryCode(page: Page, code: string) {
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
}

test("a recovery code signs in once and is refused the second time", async ({ page }) => {
  const user = seedUser("Rhea Recovery");
  const code = user.recoveryCodes[0] as string;
  await enterPassword(page, user.email, user.password);
  await useRecoveryCode(page, code.toLowerCase());
  await expectSignedIn(page);
  await page.goto("/account/security");
  await expect(page.getByText("9 of 10 left")).toBeVisible();
  await signOut(page);

  await enterPassword(page, user.email, user.password);
  await useRecoveryCode(page, code);
  const form = page.getByRole("form", { name: "Enter a recovery code" });
  await expect(form.getByRole("alert")).toHaveText("That recovery code is not valid or has already been used.");
  await page.screenshot({ path: "test-results/screens/sign-in-recovery-code.png", fullPage: true });
});

test("new recovery codes need a fresh authenticator code, are shown once, and void the old ones", async ({ page }) => {
  const user = seedUser("Reggie Regenerate");
  // Signing in with a recovery code leaves the current TOTP step free for the step-up below.
  await enterPassword(page, user.email, user.password);
  await useRecoveryCode(page, user.recoveryCodes[0] as string);
  await expectSignedIn(page);
  await page.goto("/account/security");
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/account-security.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screens/account-security-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  await page.getByRole("button", { name: "Make new recovery codes" }).click();
  await page.getByRole("button", { name: "Make new codes" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await dialog.getByLabel("Authentication code").fill(await generate({ secret: user.secret }));
  await dialog.getByRole("button", { name: "Confirm" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const fresh = (await list.getByRole("listitem").allInnerTexts()).map((t) => t.replace(/^\s*\d+\.\s*/, "").trim());
  expect(fresh.some((c) => user.recoveryCodes.includes(c))).toBe(false);
  await page.screenshot({ path: "test-results/screens/account-security-new-codes.png", fullPage: true });
  await page.getByLabel("I have saved these recovery codes somewhere safe.").check();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByText("10 of 10 left")).toBeVisible();
  await signOut(page);

  await enterPassword(page, user.email, user.password);
  await useRecoveryCode(page, user.recoveryCodes[1] as string);
  await expect(page.getByRole("form", { name: "Enter a recovery code" }).getByRole("alert")).toContainText("not valid");
  await page.getByLabel("Recovery code", { exact: true }).fill(fresh[0] as string);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expectSignedIn(page);
});
