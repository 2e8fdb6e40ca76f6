import { expect, test, type Page } from "@playwright/test";
import { createAccount, signInAs } from "../support/accounts";
import { advanceSeededDeployment, seedDeployments } from "../support/deployments-seed";

const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: `test-results/screens/deployments-${name}.png`, fullPage: true });
};

test("a viewer sees the deployment history, a live deployment and the targets, but no Deploy or Roll back button", async ({ page }) => {
  test.setTimeout(180_000); // five pages at two widths on a busy machine
  const seeded = await seedDeployments();
  const [rolledBack, succeeded, running] = seeded.deployments as [string, string, string];
  const viewer = createAccount("VIEWER", "Vera Viewer");
  await signInAs(page, viewer);

  // The history, filtered to the seeded service through the form.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deployments" }).click();
  await expect(page.getByRole("heading", { name: "Deployments", level: 1 })).toBeVisible();
  const filters = page.getByRole("form", { name: "Filter deployments" });
  await filters.getByLabel("Service").selectOption({ label: `${seeded.serviceName} (production)` });
  await filters.getByRole("button", { name: "Apply filters" }).click();
  const table = page.getByRole("table", { name: "Matching deployments, newest first" });
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await expect(table.locator("tbody tr").first()).toContainText(running);
  await expect(table.locator("tbody tr").first()).toContainText("Running");
  await expect(table.locator("tbody tr").last()).toContainText("Rolled back");
  await shot(page, "list");
  await filters.getByLabel("Rolled back").check();
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table.getByRole("link", { name: rolledBack })).toBeVisible();

  // The running deployment: steps with their status, the live log, no Roll back for a viewer.
  await page.goto(`/deployments/${running}`);
  await expect(page.getByRole("status", { name: "Deployment status" })).toHaveText("Running");
  const steps = page.getByRole("list", { name: "Deployment steps" });
  await expect(steps.getByRole("listitem")).toHaveCount(6);
  await expect(steps.getByRole("listitem").nth(0)).toContainText("Preflight checks");
  await expect(steps.getByRole("listitem").nth(0)).toContainText("Succeeded");
  await expect(steps.getByRole("listitem").nth(2)).toContainText("Running");
  await expect(steps.getByRole("listitem").nth(5)).toContainText("Pending");
  await expect(page.getByRole("progressbar", { name: "Deployment progress" })).toHaveAttribute("aria-valuenow", "2");
  await expect(page.getByRole("log", { name: "Deployment log" })).toContainText("health_check started");
  await expect(page.getByRole("button", { name: "Roll back" })).toHaveCount(0);
  await shot(page, "running");

  await page.goto(`/deployments/${rolledBack}`);
  await expect(page.getByRole("status", { name: "Deployment status" })).toHaveText("Rolled back");
  await expect(steps.getByRole("listitem").nth(4)).toContainText("Failed");
  await expect(steps.getByRole("listitem").nth(6)).toContainText("Roll back traffic");
  await expect(page.getByRole("alert").filter({ hasText: "traffic rolled back to blue" })).toBeVisible();
  await shot(page, "rolled-back");

  await page.goto(`/deployments/${succeeded}`);
  await expect(page.getByRole("status", { name: "Deployment status" })).toHaveText("Succeeded");
  await expect(page.getByRole("button", { name: "Roll back" })).toHaveCount(0);

  // The change's panel lists its deployments; the approved change offers no Deploy to a viewer.
  await page.getByRole("link", { name: new RegExp(seeded.deployedChange) }).click();
  const panel = page.getByRole("region", { name: "Deployment", exact: true });
  await expect(panel.getByRole("list", { name: "Deployments of this change" }).getByRole("listitem")).toHaveCount(3);
  await page.goto(`/changes/${seeded.approvedChange}`);
  await expect(panel).toBeVisible();
  await expect(page.getByRole("button", { name: "Deploy" })).toHaveCount(0);
  await shot(page, "change");

  // The service's target card and history; no Refresh or configure for a viewer.
  await page.goto(`/services/${seeded.serviceId}`);
  const card = page.getByRole("region", { name: "Deployment target", exact: true });
  await expect(card).toContainText("Green");
  await expect(card).toContainText("http://127.0.0.1:4411");
  await expect(card.getByRole("link", { name: running })).toBeVisible();
  await expect(card.getByRole("button", { name: "Refresh" })).toHaveCount(0);
  await expect(card.getByRole("link", { name: /target/ })).toHaveCount(0);
  await expect(page.getByRole("table", { name: /Latest deployments of/ }).locator("tbody tr")).toHaveCount(3);
  await shot(page, "service");

  // The same pages at phone width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/deployments/${running}`);
  await expect(page.getByRole("list", { name: "Deployment steps" })).toBeVisible();
  await shot(page, "running-phone");
  await page.goto(`/deployments?service=${seeded.serviceId}`);
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await shot(page, "list-phone");
});

test("a deployment's page follows the runner's steps and log while it runs, without a reload", async ({ page }) => {
  const seeded = await seedDeployments();
  const running = seeded.deployments[2]!;
  await signInAs(page, createAccount("VIEWER", "Wes Watcher"));
  await page.goto(`/deployments/${running}`);
  const steps = page.getByRole("list", { name: "Deployment steps" });
  await expect(steps.getByRole("listitem").nth(2)).toContainText("Running");
  await advanceSeededDeployment(running);
  await expect(steps.getByRole("listitem").nth(2)).toContainText("Succeeded");
  await expect(steps.getByRole("listitem").nth(3)).toContainText("Running");
  const log = page.getByRole("log", { name: "Deployment log" });
  await expect(log).toContainText("3/3 health checks passed");
  await expect(log).toContainText("switching traffic to green");
  await expect(page.getByRole("progressbar", { name: "Deployment progress" })).toHaveAttribute("aria-valuenow", "3");
  await expect(page.getByRole("status", { name: "Deployment status" })).toHaveText("Running");
});
