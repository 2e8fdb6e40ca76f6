import { expect, test } from "@playwright/test";
import { generate } from "otplib";
import { confirmEnrolment, readSetupKey, saveCodesAndContinue } from "../support/mfa";
import { seedInvite } from "../support/seed";

// Several sign-ins and argon2 hashes per test, on a machine shared with other suites.
test.describe.configure({ timeout: 240_000 });

test("a new user sets a password and enrols an authenticator from a setup link, then is signed in", async ({ page }) => {
  const invite = seedInvite("Nora Newcomer");
  await page.goto(invite.path);
  const form = page.getByRole("form", { name: "Welcome, Nora Newcomer" });
  await expect(form).toContainText(invite.email);
  await page.screenshot({ path: "test-results/screens/setup-link-password.png", fullPage: true });

  // The policy speaks up, and the two entries must match.
  await page.getByLabel("New password", { exact: true }).fill("too short");
  await page.getByLabel("Repeat the password").fill("too short");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(form.getByRole("alert")).toContainText("Use at least 12 characters (this one has 9)");
  await page.getByLabel("New password", { exact: true }).fill("a long and unusual passphrase");
  await page.getByLabel("Repeat the password").fill("a long and unusual passphrase");
  await page.getByRole("button", { name: "Continue" }).click();

  const enrolment = page.getByRole("form", { name: "Set up your authenticator app" });
  await expect(enrolment.getByRole("img", { name: /QR code to add Ops Portal/ })).toBeVisible();
  const key = await readSetupKey(page);
  expect(key).toMatch(/^[A-Z2-7]{32}$/); // 20 random bytes
  await page.screenshot({ path: "test-results/screens/enrolment.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screens/enrolment-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  await confirmEnrolment(page, "000000");
  await expect(enrolment.getByRole("alert")).toContainText("That code does not match");
  await confirmEnrolment(page, await generate({ secret: key }));
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.getByRole("heading", { name: "Save your recovery codes" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/recovery-codes-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
  const codes = await saveCodesAndContinue(page, "recovery-codes");
  expect(codes).toHaveLength(10);
  await expect(page).toHaveURL(/\/$/);

  // The link is spent.
  await page.goto(invite.path);
  await expect(page.getByRole("heading", { name: "This link is no longer valid" })).toBeVisible();
});

test("an expired or unknown setup link says it is no longer valid and whom to ask", async ({ page }) => {
  const expired = seedInvite("Ella Expired", { expired: true });
  for (const path of [expired.path, "/setup/not-a-real-token"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "This link is no longer valid" })).toBeVisible();
    await expect(page.getByText("Ask an administrator to send you a new one.")).toBeVisible();
  }
  await page.screenshot({ path: "test-results/screens/setup-link-invalid.png", fullPage: true });
});
