import { expect, test } from "@playwright/test";
import { generate } from "otplib";
import { enterPassword, expectSignedIn } from "../support/mfa";
import { endStepUpLockout, seedUser } from "../support/seed";

test.describe.configure({ timeout: 180_000 });

/** A 6-digit code that is none of the codes accepted now (previous, current or next time step). */
async function wrongCode(secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const valid = new Set(await Promise.all([-30, 0, 30].map((d) => generate({ secret, epoch: now + d }))));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}

test("the step-up dialog stops checking codes after 5 wrong ones and announces when to retry", async ({ page }) => {
  const user = seedUser("Stella Stepup");
  await enterPassword(page, user.email, user.password);
  await page.getByLabel("Authentication code").fill(await generate({ secret: user.secret }));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expectSignedIn(page);

  await page.goto("/account/security");
  await page.getByRole("button", { name: "Make new recovery codes" }).click();
  await page.getByRole("button", { name: "Make new codes" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  const code = dialog.getByLabel("Authentication code");
  const confirm = dialog.getByRole("button", { name: "Confirm" });
  for (let i = 0; i < 4; i++) {
    await code.fill(await wrongCode(user.secret));
    await confirm.click();
    await expect(dialog.getByRole("alert")).toHaveText(
      "That code is not valid. Wait for a new code in your authenticator app and try again.",
    );
    await expect(confirm).toBeEnabled();
  }
  await code.fill(await wrongCode(user.secret));
  await confirm.click();
  await expect(dialog.getByRole("alert")).toHaveText("Too many wrong codes. Try again in 5 minutes.");
  await page.screenshot({ path: "test-results/screens/step-up-throttled.png" });

  // Even the right code is refused now, without being checked.
  await code.fill(await generate({ secret: user.secret }));
  await confirm.click();
  await expect(dialog.getByRole("alert")).toHaveText("Too many wrong codes. Try again in 5 minutes.");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screens/step-up-throttled-dark.png" });
  await page.emulateMedia({ colorScheme: "light" });

  // Five more wrong codes once the lockout has passed: the second lockout ends every session.
  endStepUpLockout(user.email);
  for (let i = 0; i < 5; i++) {
    await code.fill(await wrongCode(user.secret));
    await confirm.click();
    await expect(dialog.getByRole("alert")).not.toHaveText("Too many wrong codes. Try again in 5 minutes.");
  }
  await expect(dialog.getByRole("alert")).toHaveText(
    "Too many wrong codes. For your safety you have been signed out everywhere. Sign in again.",
  );
  await expect(code).toBeHidden();
  await page.screenshot({ path: "test-results/screens/step-up-signed-out.png" });
  const again = dialog.getByRole("link", { name: "Sign in again" });
  await expect(again).toBeFocused();
  await again.click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByLabel("Email")).toBeVisible();
});
