import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { createAccount, signInAs } from "../support/accounts";

test("the demo overview shows services with state and uptime; a service's charts follow the range in the URL and export CSV", async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  const viewer = createAccount("VIEWER", "Hana Health");
  await signInAs(page, viewer);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Health & Metrics" }).click();
  await expect(page.getByRole("heading", { name: "Health", level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: "Service health" });
  const payments = table.getByRole("row").filter({ hasText: "payments-api" }).filter({ hasText: "Production" });
  await expect(payments).toHaveCount(1);
  await expect(payments).toContainText("Up");
  // Uptime 24 h / 7 d / 30 d from the seeded history: a short outage keeps it just under 100 %.
  await expect(payments.getByRole("cell").nth(1)).toHaveText(/^\d{2}(\.\d+)? %$/);
  await expect(payments).toContainText("DEP-000001");
  await expect(table.getByRole("row").filter({ hasText: "reporting" })).toContainText("No checks");
  await expect(page.getByRole("region", { name: "Summary" })).toContainText("Checks up");
  await page.screenshot({ path: "test-results/screens/health-overview.png", fullPage: true });

  // Filtering by team keeps the filter in the URL.
  await page.getByLabel("Owner team").selectOption("Payments");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/team=Payments/);
  await expect(table.getByRole("row").filter({ hasText: "checkout-web" })).toHaveCount(0);

  await payments.getByRole("link", { name: "payments-api" }).click();
  await expect(page.getByRole("heading", { name: /payments-api/, level: 1 })).toBeVisible();
  for (const title of ["Availability", "Response time", "Error rate"]) {
    const figure = page.getByRole("figure", { name: title });
    await expect(figure).toBeVisible();
    await expect(figure.locator(".recharts-line-curve").first()).toBeVisible();
  }
  await expect(page.getByText(/one point per 2 min \(minute roll-ups\)/)).toBeVisible();
  await page.screenshot({ path: "test-results/screens/health-service-24h.png", fullPage: true });

  // 7 days: the URL says so (a link shares the view) and the charts re-read 15-minute buckets.
  await expect(async () => {
    await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "7d" }).click();
    await expect(page).toHaveURL(/range=7d/, { timeout: 2_000 });
  }).toPass();
  await expect(page.getByText(/one point per 15 min \(minute roll-ups\)/)).toBeVisible();
  await expect(page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "7d" })).toHaveAttribute("aria-pressed", "true");
  const timeline = page.getByRole("region", { name: "State changes" });
  await expect(timeline.getByRole("listitem").filter({ hasText: "HTTP 503" }).first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Deployments and maintenance in range" })).toContainText("DEP-000001");
  await page.screenshot({ path: "test-results/screens/health-service-7d.png", fullPage: true });

  // The chart's CSV: the same rows as the chart.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV of Availability" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^health-payments-api-all-checks-7d-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await readFile((await file.path())!, "utf8")).trimEnd().split("\r\n");
  expect(lines[0]).toBe("bucket_start_utc,availability_percent,p50_ms,p95_ms,error_rate_percent,probes");
  expect(lines.length).toBeGreaterThan(600);
  expect(lines.length).toBeLessThanOrEqual(1_001);

  // 30 days: the maintenance window's muted state changes show in the timeline.
  await page.goto(page.url().replace("range=7d", "range=30d"));
  await expect(page.getByRole("region", { name: "State changes" }).getByText("muted (maintenance)").first()).toBeVisible();

  // The service page points here: a Health card with the state and 24 h figures.
  await page.getByRole("link", { name: "Service details" }).click();
  const card = page.getByRole("region", { name: "Health" });
  await expect(card).toContainText("Up");
  await expect(card).toContainText("3 of 3 checks up");
  await card.getByRole("link", { name: "Availability and response time" }).click();
  await expect(page.getByRole("figure", { name: "Availability" })).toBeVisible();
});
