import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth";

test("signs in with password and authenticator code and lands on the dashboard", async ({ page }) => {
  await signIn(page, "ops@demo.local");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Welcome, Omar" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Changes" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Services" }).getByRole("rowheader", { name: /payments-api/ }).first()).toBeVisible();
});

test("refuses a wrong password without saying whether the account exists", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("ops@demo.local");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Continue" }).click();
  const form = page.getByRole("form", { name: "Sign in" });
  await expect(form.getByRole("alert")).toHaveText("Email or password is incorrect.");

  await page.getByLabel("Email").fill("nobody@demo.local");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(form.getByRole("alert")).toHaveText("Email or password is incorrect.");
});

test("refuses a wrong authenticator code and stays on the code step", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("viewer@demo.local");
  await page.getByLabel("Password").fill("demo-Passw0rd!");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByRole("form", { name: "Enter your authenticator code" }).getByRole("alert")).toContainText(
    "That code is not valid",
  );
  await expect(page).toHaveURL(/\/sign-in/);
});

test("sends a visitor without a session to the sign-in page", async ({ page }) => {
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in to Ops Portal" })).toBeVisible();
});

test("signing out ends the session on the server", async ({ page, context }) => {
  await signIn(page, "release@demo.local");
  const cookies = await context.cookies();
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  // Replaying the old cookie must not bring the session back.
  await context.addCookies(cookies);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});
