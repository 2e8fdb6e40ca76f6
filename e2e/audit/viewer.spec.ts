import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { seedUser, seedUsers, signInAs } from "../support/audit-seed";

// Seeding through tsx and signing in take a while on a busy 2-core machine.
test.describe.configure({ timeout: 90_000 });

test("an auditor filters the trail by actor, action and target, and pages to older events", async ({ page }) => {
  const targetId = `svc-e2e-${randomBytes(3).toString("hex")}`;
  const [operator, auditor] = await seedUsers(["OPERATOR", "AUDITOR"], {
    events: { action: "service.updated", targetType: "Service", targetId, count: 60 },
  });
  await signInAs(page, auditor);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await expect(page.getByRole("heading", { name: "Audit trail", level: 1 })).toBeVisible();

  const filters = page.getByRole("form", { name: "Filter the audit trail" });
  await filters.getByLabel("Actor").fill(operator.email.toUpperCase());
  await filters.getByLabel("Action").selectOption("service.updated");
  await filters.getByLabel("Target type").fill("Service");
  await filters.getByLabel("Target id").fill(targetId);
  await filters.getByRole("button", { name: "Apply filters" }).click();

  // The filter is in the URL, so the view can be shared.
  await expect(page).toHaveURL(new RegExp(`targetId=${targetId}`));
  const table = page.getByRole("table", { name: "Matching audit events, newest first" });
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText("step:60");
  await expect(rows.first()).toContainText(operator.email);
  await expect(rows.first()).toContainText(targetId);
  await page.screenshot({ path: "test-results/screens/audit.png", fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1300 } });

  const pages = page.getByRole("navigation", { name: "Audit trail pages" });
  await pages.getByRole("link", { name: "Older" }).click();
  await expect(page).toHaveURL(/before=\d+/);
  await expect(rows).toHaveCount(10);
  await expect(rows.last()).toContainText("step:1");
  await expect(rows.last()).toContainText("note:=cmd|' /C calc'!A0"); // plain text in the page
  await expect(pages.getByRole("link", { name: "Older" })).toHaveCount(0);

  await pages.getByRole("link", { name: "Newer" }).click();
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText("step:60");
  await expect(pages.getByRole("link", { name: "Newer" })).toHaveCount(0);

  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screens/audit-dark.png", fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1300 } });
});

test("the filter explains what is wrong instead of guessing", async ({ page }) => {
  await signInAs(page, await seedUser("AUDITOR"));
  await page.goto("/audit?targetId=abc&from=2026-02-01T00:00&to=2026-01-01T00:00");
  const problem = page.getByRole("main").getByRole("alert");
  await expect(problem).toContainText("Enter the target type to search by target id.");
  await expect(problem).toContainText("“To” must not be before “From”.");
});

test("verifying the chain from the page reports it intact and records the check", async ({ page }) => {
  const auditor = await seedUser("AUDITOR");
  await signInAs(page, auditor);
  await page.goto("/audit");
  await page.getByRole("button", { name: "Verify integrity" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Intact" })).toContainText(/Intact: all [\d,]+ events verified/);
  await page.getByRole("region", { name: "Integrity" }).screenshot({ path: "test-results/screens/audit-verified.png" });
  await page.reload();
  await expect(page.getByText(`by ${auditor.email}: intact`)).toBeVisible();
  await page.goto(`/audit?action=audit.verified&actor=${encodeURIComponent(auditor.email)}`);
  await expect(page.getByRole("table", { name: /Matching audit events/ }).locator("tbody tr")).toHaveCount(1);
});

test("a viewer cannot see the audit trail or export it", async ({ page }) => {
  await signInAs(page, await seedUser("VIEWER"));
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" })).toHaveCount(0);
  const response = await page.goto("/audit");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  const exported = await page.request.get("/api/audit/export?format=csv");
  expect(exported.status()).toBe(403);
  expect(await exported.json()).toEqual({ error: { code: "forbidden", message: "Your role does not allow this." } });
});
