import { expect, test, type Locator, type Page } from "@playwright/test";
import { createAccount, signInAs } from "../support/accounts";
import { demoBlueUrl, seedHealthService } from "../support/health-seed";

const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: `test-results/screens/health-checks-${name}.png`, fullPage: true });
};

/** "2026-11-27T14:05" in UTC, as a datetime-local field takes it (the portal reads it as UTC). */
const utcLocal = (date: Date) => date.toISOString().slice(0, 16);

/** A client button right after navigation may be clicked before React hydrates: click until `done` shows. */
async function clickUntil(button: Locator, done: Locator): Promise<void> {
  await expect(async () => {
    if (await button.isVisible()) await button.click();
    await expect(done).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

test("an operator adds an HTTP check against the demo backend, tests it, saves, edits, pauses, resumes and deletes it", async ({ page }) => {
  test.setTimeout(150_000);
  const { serviceId, serviceName } = await seedHealthService();
  const operator = createAccount("OPERATOR", "Olga Operator");
  await signInAs(page, operator);

  await page.goto(`/health/${serviceId}/checks`);
  await expect(page.getByRole("heading", { name: `${serviceName} health`, level: 1 })).toBeVisible();
  await expect(page.getByText("No checks yet.")).toBeVisible();
  await page.getByRole("link", { name: "Add check" }).click();

  const form = page.getByRole("form", { name: `New check for ${serviceName}` });
  await expect(form).toBeVisible();
  await form.getByLabel("Name").fill("Blue /health");
  await form.getByLabel("URL").fill(`${demoBlueUrl()}/health`);
  await form.getByLabel("Highest expected status").fill("299");
  await form.getByLabel("Keyword (optional)").fill("colour");
  await form.getByLabel("Interval (seconds)").fill("30");

  // Test now, before saving: the demo backend answers 200.
  const result = form.getByRole("status", { name: "Test result" });
  await clickUntil(form.getByRole("button", { name: "Test now" }), result.getByText("Test result: Up"));
  await expect(result).toContainText("200");
  await expect(result).toContainText("Nothing was stored");
  await shot(page, "new-tested");

  // A wrong port: Down, with the reason.
  await form.getByLabel("URL").fill("http://127.0.0.1:1/health");
  await form.getByRole("button", { name: "Test now" }).click();
  await expect(result.getByText("Test result: Down")).toBeVisible();
  await expect(result).toContainText("Error:");
  await form.getByLabel("URL").fill(`${demoBlueUrl()}/health`);

  // Field errors are announced with the field.
  await form.getByLabel("Timeout (ms)").fill("40000");
  await form.getByRole("button", { name: "Add check" }).click();
  await expect(form.getByLabel("Timeout (ms)")).toHaveAccessibleDescription(/at most 30,000 ms/);
  await form.getByLabel("Timeout (ms)").fill("3000");
  await form.getByRole("button", { name: "Add check" }).click();

  await expect(page).toHaveURL(new RegExp(`/health/${serviceId}/checks$`));
  const table = page.getByRole("table", { name: "Health checks of this service" });
  const row = table.getByRole("row").filter({ hasText: "Blue /health" });
  await expect(row).toContainText(`GET ${demoBlueUrl()}/health`);
  await expect(row).toContainText("every 30 s");
  await expect(row).toContainText(/Pending|Up/);

  // Test now from the list, for the saved check.
  const rowResult = row.getByRole("status", { name: "Test result of Blue /health" });
  await clickUntil(row.getByRole("button", { name: "Test Blue /health now" }), rowResult.getByText("Test result: Up"));
  await shot(page, "list");

  // Edit: the form holds the saved values; the change shows in the list.
  await row.getByRole("link", { name: "Edit Blue /health" }).click();
  const edit = page.getByRole("form", { name: "Edit check Blue /health" });
  await expect(edit).toBeVisible();
  // A second tab opens the same revision; whoever saves second is told to reload.
  const other = await page.context().newPage();
  await other.goto(page.url());
  const otherEdit = other.getByRole("form", { name: "Edit check Blue /health" });
  await expect(edit.getByLabel("Keyword (optional)")).toHaveValue("colour");
  await expect(edit.getByLabel("Highest expected status")).toHaveValue("299");
  await edit.getByLabel("Interval (seconds)").fill("45");
  await shot(page, "edit");
  await clickUntil(edit.getByRole("button", { name: "Save changes" }), table);
  await expect(row).toContainText("every 45 s");
  await otherEdit.getByLabel("Interval (seconds)").fill("50");
  const conflict = otherEdit.getByRole("alert").filter({ hasText: "Someone else saved this check after you opened it." });
  await clickUntil(otherEdit.getByRole("button", { name: "Save changes" }), conflict);
  await other.close();
  await page.reload();
  await expect(row).toContainText("every 45 s");

  // Pause, then resume: back to Pending (or Up once the worker probed it).
  await clickUntil(row.getByRole("button", { name: "Pause Blue /health" }), row.getByRole("button", { name: "Resume Blue /health" }));
  await expect(row).toContainText("Paused");
  await row.getByRole("button", { name: "Resume Blue /health" }).click();
  await expect(row.getByRole("button", { name: "Pause Blue /health" })).toBeVisible();
  await expect(row).toContainText(/Pending|Up/);
  await expect(row).not.toContainText("Paused");

  // Delete asks first.
  await row.getByRole("button", { name: "Delete" }).click();
  await shot(page, "delete-confirm");
  await row.getByRole("button", { name: "Yes, delete Blue /health" }).click();
  await expect(page.getByText("No checks yet.")).toBeVisible();
});

test("an operator schedules maintenance starting now and cancels it", async ({ page }) => {
  test.setTimeout(120_000);
  const { serviceId } = await seedHealthService();
  const operator = createAccount("OPERATOR", "Otto Operator");
  await signInAs(page, operator);
  await page.goto(`/health/${serviceId}/maintenance`);

  const form = page.getByRole("form", { name: "Schedule maintenance" });
  const now = new Date();
  await form.getByLabel("Starts (UTC)").fill(utcLocal(now));
  await form.getByLabel("Ends (UTC)").fill(utcLocal(new Date(now.getTime() - 3_600_000)));
  await form.getByLabel("Reason").fill("Database upgrade to 10.11");
  // The first submit may land before hydration: submit until the server's answer shows.
  await clickUntil(form.getByRole("button", { name: "Schedule maintenance" }), form.getByRole("alert").filter({ hasText: "The maintenance must end after it starts." }));
  await expect(form.getByLabel("Ends (UTC)")).toHaveAttribute("aria-invalid", "true");

  await form.getByLabel("Ends (UTC)").fill(utcLocal(new Date(now.getTime() + 2 * 3_600_000)));
  await form.getByRole("button", { name: "Schedule maintenance" }).click();
  const inProgress = page.getByRole("region", { name: "In progress (1)" });
  const item = inProgress.getByRole("listitem", { name: "Maintenance: Database upgrade to 10.11" });
  await expect(item).toBeVisible();
  await expect(item).toContainText("In progress");
  await expect(item).toContainText(`Scheduled by ${operator.name}`);
  await shot(page, "maintenance");

  await item.getByRole("button", { name: "Cancel maintenance" }).click();
  await item.getByRole("button", { name: "Yes, cancel it" }).click();
  await expect(page.getByRole("region", { name: "In progress (0)" })).toContainText("No maintenance is in progress.");
  const past = page.getByRole("region", { name: "Past and cancelled maintenance" });
  await past.getByText(/Past and cancelled \(1\)/).click();
  await expect(past.getByRole("listitem", { name: "Maintenance: Database upgrade to 10.11" })).toContainText("Cancelled");
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "maintenance-dark");
});

test("a viewer sees a service's checks and maintenance but no Add check, actions or schedule form", async ({ page }) => {
  test.setTimeout(120_000);
  const { serviceId } = await seedHealthService({
    withCheck: { name: "Homepage", url: `${demoBlueUrl()}/` },
    withMaintenance: { reason: "Certificate rotation", createdByEmail: "ops@demo.local" },
  });
  const viewer = createAccount("VIEWER", "Vic Viewer");
  await signInAs(page, viewer);

  await page.goto(`/health/${serviceId}/checks`);
  const row = page.getByRole("table", { name: "Health checks of this service" }).getByRole("row").filter({ hasText: "Homepage" });
  await expect(row).toContainText("Up");
  await expect(row).toContainText("12 ms");
  await expect(page.getByRole("link", { name: "Add check" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Pause|Resume|Delete|Test/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Edit / })).toHaveCount(0);
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "viewer-dark");
  await page.emulateMedia({ colorScheme: "light" });

  await page.goto(`/health/${serviceId}/maintenance`);
  await expect(page.getByRole("region", { name: "Upcoming (1)" })).toContainText("Certificate rotation");
  await expect(page.getByRole("form", { name: "Schedule maintenance" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Cancel maintenance" })).toHaveCount(0);

  const response = await page.goto(`/health/${serviceId}/checks/new`);
  expect(response?.status()).toBe(403);
});
