import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth";

test("the navigation shows every area a role may read and hides Admin from non-admins", async ({ page }) => {
  await signIn(page, "viewer@demo.local");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const area of ["Dashboard", "Changes", "Deployments", "Health & Metrics", "Alerts & On-call", "DR & Backups", "Incidents", "Procedures"]) {
    await expect(nav.getByRole("link", { name: area })).toBeVisible();
  }
  await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Audit" })).toHaveCount(0);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
});

test("an admin sees users and the permission matrix", async ({ page }) => {
  await signIn(page, "admin@demo.local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("table", { name: "Users" }).getByRole("rowheader", { name: "Audrey Auditor" })).toBeVisible();
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Permission matrix" }).click();
  await expect(page.getByRole("table", { name: "Which role holds which permission" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/admin.png", fullPage: true });
});

test("the theme switch applies dark mode and remembers it", async ({ page }) => {
  await signIn(page, "auditor@demo.local");
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByText("Dark", { exact: true }).click();
  await expect(page.getByRole("radio", { name: "Dark" })).toBeChecked();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.screenshot({ path: "test-results/screens/dashboard-dark.png", fullPage: true });
});

test("on a phone the navigation opens as a drawer", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await signIn(page, "stakeholder@demo.local");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeHidden();
  // The header is server-rendered: a click that lands before React hydrates does nothing, so
  // click until the drawer reports itself open.
  const close = page.getByRole("button", { name: "Close navigation" });
  await expect(async () => {
    if (!(await close.isVisible())) await page.getByRole("button", { name: "Open navigation" }).click();
    await expect(close).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await nav.getByRole("link", { name: "Incidents" }).click();
  await expect(page.getByRole("heading", { name: "Incidents", level: 1 })).toBeVisible();
  await expect(nav).toBeHidden();
  await page.screenshot({ path: "test-results/screens/phone.png" });
});
