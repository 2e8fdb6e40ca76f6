import { expect, test } from "@playwright/test";
import { enterPassword } from "../support/mfa";
import { seedUser, uniqueEmail } from "../support/seed";

// Several sign-ins and argon2 hashes per test, on a machine shared with other suites.
test.describe.configure({ timeout: 240_000 });

const WRONG = "Email or password is incorrect.";
const LOCKED = "Too many failed sign-in attempts. Try again in 5 minutes.";

// A dedicated user, so no other spec is locked out.
test("five wrong passwords lock the account for a while, even against the right password", async ({ page }) => {
  const user = seedUser("Lenny Lockout");
  const alert = page.getByRole("form", { name: "Sign in" }).getByRole("alert");
  for (let i = 1; i <= 4; i++) {
    await enterPassword(page, user.email, `wrong guess number ${i}`);
    await expect(alert).toHaveText(WRONG);
  }
  await enterPassword(page, user.email, "wrong guess number 5");
  await expect(alert).toHaveText(LOCKED);
  await enterPassword(page, user.email, user.password);
  await expect(alert).toHaveText(LOCKED);
  await expect(page.getByLabel("Authentication code")).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/sign-in-locked.png", fullPage: true });
});

test("an email that does not exist gets exactly the same answers and lockout", async ({ page }) => {
  const email = uniqueEmail("nobody");
  const alert = page.getByRole("form", { name: "Sign in" }).getByRole("alert");
  const answers: string[] = [];
  for (let i = 1; i <= 6; i++) {
    await enterPassword(page, email, `some guess ${i}`);
    await expect(alert).toBeVisible();
    answers.push((await alert.innerText()).trim());
  }
  expect(answers).toEqual([WRONG, WRONG, WRONG, WRONG, LOCKED, LOCKED]);
});
