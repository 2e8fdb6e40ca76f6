import { expect, test } from "@playwright/test";
import { confirmStepUp, createAccount, signInAs } from "../support/accounts";

test("an admin creates a user after a step-up and sees the one-time setup link only once", async ({ page, context }) => {
  test.setTimeout(90_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const admin = createAccount("ADMIN", "Ada Creator");
  await signInAs(page, admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await page.getByRole("link", { name: "Add user" }).click();

  const email = `Nia.New-${Date.now()}@E2E.test`;
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Full name").fill("Nia New");
  await form.getByLabel("Role").selectOption({ label: "Operator" });
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("dialog", { name: "Confirm it is you" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/step-up-dialog.png" });
  await confirmStepUp(page, admin);

  const panel = page.getByRole("status").filter({ hasText: "Setup link for Nia New" });
  await expect(panel).toContainText(email.toLowerCase());
  await expect(panel).toContainText("shown only now");
  const link = await panel.getByLabel("Setup link").inputValue();
  expect(link).toMatch(/\/setup\/[A-Za-z0-9_-]{43}$/);
  await panel.getByRole("button", { name: "Copy link" }).click();
  await expect(panel.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await page.screenshot({ path: "test-results/screens/admin-user-created.png", fullPage: true });

  // The user's page says a link is waiting, but the link itself is gone for good.
  await page.getByRole("link", { name: "Open Nia New" }).click();
  await expect(page.getByRole("heading", { name: "Nia New", level: 2 })).toBeVisible();
  await expect(page.getByText(/Waiting for them to use the link issued/)).toBeVisible();
  expect(await page.content()).not.toContain(link.split("/setup/")[1]);
  await page.goto("/admin");
  await expect(page.getByRole("table", { name: "Users" }).getByRole("row", { name: /Nia New/ })).toContainText("Setup pending");

  // The same address again, in another case: refused with a message saying so, input kept.
  await page.goto("/admin/users/new");
  await form.getByLabel("Email").fill(email.toUpperCase());
  await form.getByLabel("Full name").fill("Nia Again");
  await form.getByRole("button", { name: "Create user" }).click();
  const message = `A user with the email ${email.toLowerCase()} already exists.`;
  await expect(form.getByRole("alert")).toHaveText(message);
  await expect(form.getByText(message, { exact: true }).last()).toBeVisible();
  await expect(form.getByLabel("Full name")).toHaveValue("Nia Again");
});

test("a role change and a deactivation apply on the affected user's next click", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = createAccount("ADMIN", "Ada Roles");
  const auditor = createAccount("AUDITOR", "Audra Target");
  const adminContext = await browser.newContext();
  const userContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  const userPage = await userContext.newPage();

  await signInAs(userPage, auditor);
  await expect(userPage.getByRole("region", { name: "Latest audit events" })).toBeVisible();

  await signInAs(adminPage, admin);
  await adminPage.goto(`/admin/users/${auditor.id}`);
  const roleForm = adminPage.getByRole("form", { name: "Change role" });
  await roleForm.getByLabel("Role").selectOption({ label: "Viewer" });
  await roleForm.getByRole("button", { name: "Save role" }).click();
  await confirmStepUp(adminPage, admin);
  await expect(adminPage.getByRole("status").filter({ hasText: "Role changed from Auditor to Viewer." })).toBeVisible();

  // Their navigation was drawn before the change, but the server decides on the very next click.
  await userPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await expect(userPage.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await userPage.goto("/");
  await expect(userPage.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await expect(userPage.getByRole("region", { name: "Latest audit events" })).toHaveCount(0);
  await expect(userPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" })).toHaveCount(0);

  // Still inside the step-up window: no second code is asked for.
  await adminPage.getByRole("button", { name: "Deactivate account" }).click();
  await adminPage.screenshot({ path: "test-results/screens/admin-user-confirm.png", fullPage: true });
  await adminPage.getByRole("button", { name: "Deactivate", exact: true }).click();
  await expect(adminPage.getByRole("status").filter({ hasText: "is deactivated and signed out everywhere" })).toBeVisible();
  await expect(adminPage.getByRole("button", { name: "Reactivate account" })).toBeVisible();

  await userPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Changes" }).click();
  await expect(userPage).toHaveURL(/\/sign-in/);
  await adminContext.close();
  await userContext.close();
});

test("an admin's own page offers no self-deactivation or self MFA reset, and says why", async ({ page }) => {
  test.setTimeout(90_000);
  const admin = createAccount("ADMIN", "Ada Self");
  await signInAs(page, admin);
  await page.goto(`/admin/users/${admin.id}`);
  await expect(page.getByRole("heading", { name: admin.name, level: 2 })).toBeVisible();
  await expect(page.getByText("You cannot deactivate your own account or reset your own MFA here")).toBeVisible();
  await expect(page.getByRole("button", { name: "Deactivate account" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reset MFA" })).toHaveCount(0);
});
