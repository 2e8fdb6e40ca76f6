import { expect, test } from "@playwright/test";
import { generate } from "otplib";
import { enterPassword, expectSignedIn } from "../support/mfa";
import { seedUser } from "../support/seed";

// Several sign-ins and argon2 hashes per test, on a machine shared with other suites.
test.describe.configure({ timeout: 240_000 });

test("changing the password needs the current one, follows the policy and signs out the other sessions", async ({ browser }) => {
  const user = seedUser("Paula Password");
  // Two sessions: this one with a recovery code, the other with the authenticator.
  const [hereContext, elsewhereContext] = [await browser.newContext(), await browser.newContext()];
  try {
    const here = await hereContext.newPage();
    await enterPassword(here, user.email, user.password);
    await here.getByRole("button", { name: "Use a recovery code instead" }).click();
    await here.getByLabel("Recovery code", { exact: true }).fill(user.recoveryCodes[0] as string);
    await here.getByRole("button", { name: "Verify and sign in" }).click();
    await expectSignedIn(here);
    const elsewhere = await elsewhereContext.newPage();
    await enterPassword(elsewhere, user.email, user.password);
    await elsewhere.getByLabel("Authentication code").fill(await generate({ secret: user.secret }));
    await elsewhere.getByRole("button", { name: "Verify and sign in" }).click();
    await expectSignedIn(elsewhere);

    await here.goto("/account/security");
    const form = here.getByRole("form", { name: "Change password" });
    await form.getByLabel("Current password").fill("not my password at all");
    await form.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
    await form.getByLabel("Repeat the new password").fill("a brand new passphrase");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toHaveText("Your current password is not correct.");

    await form.getByLabel("Current password").fill(user.password);
    await form.getByLabel("New password", { exact: true }).fill("qwerty123456");
    await form.getByLabel("Repeat the new password").fill("qwerty123456");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toContainText("commonly used passwords");

    await form.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
    await form.getByLabel("Repeat the new password").fill("a brand new passphrase");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("status")).toHaveText("Password changed. 1 other session was signed out.");
    await expect(form.getByLabel("New password", { exact: true })).toHaveValue("");

    // The other browser is out on its very next request; this one stays in.
    await elsewhere.reload();
    await expect(elsewhere.getByRole("heading", { name: "Sign in to Ops Portal" })).toBeVisible({ timeout: 30_000 });
    await here.reload();
    await expectSignedIn(here);
    // The old password no longer works; the new one does.
    await enterPassword(elsewhere, user.email, user.password);
    await expect(elsewhere.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Email or password is incorrect.");
    await enterPassword(elsewhere, user.email, "a brand new passphrase");
    await expect(elsewhere.getByLabel("Authentication code")).toBeVisible();
  } finally {
    await Promise.all([hereContext.close(), elsewhereContext.close()]);
  }
});
