import { expect, test } from "@playwright/test";
import { codeFor, createAccount, signInAs, type Account } from "../support/accounts";
import { seedDeployments } from "../support/deployments-seed";

async function confirmStepUp(page: import("@playwright/test").Page, account: Account) {
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await dialog.getByLabel("Authentication code").fill(await codeFor(account));
  await dialog.getByRole("button", { name: "Confirm" }).click();
}

test("an operator asks a running deployment to roll back with step-up, and the page says it was requested", async ({ page }) => {
  const seeded = await seedDeployments();
  const running = seeded.deployments[2]!;
  const operator = createAccount("OPERATOR", "Otto Operator");
  await signInAs(page, operator);
  await page.goto(`/deployments/${running}`);
  const form = page.getByRole("form", { name: "Roll back this deployment" });
  await form.getByRole("button", { name: "Roll back" }).click();
  await confirmStepUp(page, operator);
  // The reason is required: the form says so next to the field.
  await expect(form.getByRole("alert")).toContainText("Say why you are rolling back");
  await form.getByLabel("Reason for rolling back").fill("Error budget burning on the new colour");
  await form.getByRole("button", { name: "Roll back" }).click();
  // Shown as a badge by the live status and, once the page data reloads, in the details as well.
  await expect(page.getByText("Rollback requested", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Roll back" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/deployments-rollback-requested.png", fullPage: true });
});

test("an admin edits a service's deployment target: the driver's own fields follow the driver, errors name the field", async ({ page }) => {
  const seeded = await seedDeployments();
  const admin = createAccount("ADMIN", "Adele Admin");
  await signInAs(page, admin);
  await page.goto(`/services/${seeded.serviceId}`);
  await page.getByRole("region", { name: "Deployment target", exact: true }).getByRole("link", { name: "Edit target" }).click();
  const form = page.getByRole("form", { name: `Deployment target of ${seeded.serviceName}` });
  await expect(form.getByLabel("Deploy command", { exact: true })).toHaveValue("true");
  await form.getByLabel("Driver").selectOption("NGINX");
  await expect(form.getByLabel("Upstream include file")).toBeVisible();
  await expect(form.getByLabel("Deploy command", { exact: true })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/deployments-target-form.png", fullPage: true });
  await form.getByLabel("Driver").selectOption("WEBHOOK");
  await expect(form.getByLabel("Signing secret")).toBeVisible();
  await form.getByLabel("Driver").selectOption("COMMAND");
  await form.getByLabel("Green URL").fill("ftp://example.test");
  await form.getByRole("button", { name: "Save target" }).click();
  await confirmStepUp(page, admin);
  await expect(form.getByRole("alert")).toBeVisible();
  await expect(form.getByLabel("Green URL")).toHaveAttribute("aria-invalid", "true");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/screens/deployments-target-form-phone.png", fullPage: true });
});

test("an operator sees each gate that blocks deploying an approved change, no Deploy button until they pass, and refreshes the live colour", async ({ page }) => {
  const seeded = await seedDeployments();
  const operator = createAccount("OPERATOR", "Olive Operator");
  await signInAs(page, operator);
  await page.goto(`/changes/${seeded.approvedChange}`);
  const gates = page.getByRole("list", { name: "Deployment gates" });
  await expect(gates.getByRole("listitem").filter({ hasText: "Checklist" })).toContainText("not met");
  await expect(gates.getByRole("listitem").filter({ hasText: "Service free" })).toContainText(seeded.deployments[2]!);
  await expect(gates.getByRole("listitem").filter({ hasText: "Change window" })).toContainText(": ok");
  await expect(gates.getByRole("listitem").filter({ hasText: "Step-up" })).toContainText("asked when you deploy");
  await expect(page.getByRole("button", { name: "Deploy", exact: true })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/deployments-gates.png", fullPage: true });

  // The service's card reads the live colour back from the target on request.
  await page.goto(`/services/${seeded.serviceId}`);
  const card = page.getByRole("region", { name: "Deployment target", exact: true });
  await expect(card).toContainText(/Read back from the target \d+ min ago/);
  await card.getByRole("button", { name: "Refresh" }).click();
  await expect(card).toContainText("Read back from the target just now");
  await expect(card).toContainText("Green");
});
