import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { generate } from "otplib";
import {
  atLeastLeftInStep,
  confirmEnrolment,
  enterPassword,
  expectSignedIn,
  readSetupKey,
  saveCodesAndContinue,
  signOut,
} from "../support/mfa";
import { seedUser, seedUserWithoutMfa } from "../support/seed";

// Several sign-ins and argon2 hashes per test, on a machine shared with other suites.
test.describe.configure({ timeout: 240_000 });

test("a user without an authenticator must enrol before signing in; a code from oathtool is accepted", async ({ page }) => {
  const user = seedUserWithoutMfa("Otto Oath");
  await enterPassword(page, user.email, user.password);
  await expect(page.getByRole("heading", { name: "Set up your authenticator app" })).toBeVisible();
  await expect(page.getByText("Your password is correct.")).toBeVisible();
  const key = await readSetupKey(page);
  // An independent TOTP implementation (Debian's oathtool) must agree with the portal.
  const code = execFileSync("/usr/bin/oathtool", ["--totp", "-b", key], { encoding: "utf8" }).trim();
  expect(code).toMatch(/^\d{6}$/);
  await confirmEnrolment(page, code);
  await saveCodesAndContinue(page);
  await expect(page).toHaveURL(/\/$/);
});

test("a code that was already accepted is refused when replayed inside its time step", async ({ page }) => {
  const user = seedUser("Rita Replay");
  await atLeastLeftInStep(20);
  const step = Math.floor(Date.now() / 30_000);
  const code = await generate({ secret: user.secret });
  await enterPassword(page, user.email, user.password);
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expectSignedIn(page);
  await signOut(page);

  await enterPassword(page, user.email, user.password);
  await page.getByLabel("Authentication code").fill(code);
  // Still inside the code's window (its step or the next), so only replay protection can refuse it.
  expect(Math.floor(Date.now() / 30_000), "replayed inside the code's validity window").toBeLessThanOrEqual(step + 1);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  const form = page.getByRole("form", { name: "Enter your authenticator code" });
  await expect(form.getByRole("alert")).toContainText("That code is not valid");
});
