import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createAccount, createApiTokenFor, signInAs } from "../support/accounts";

test("an operator's token pushes business metrics, the page charts them per label set and downloads what it shows", async ({ page, request }) => {
  const operator = createAccount("OPERATOR", "Bea Metrics");
  const token = createApiTokenFor(operator, "shop exporter");
  const auth = { authorization: `Bearer ${token}` };
  const name = `e2e_orders_${randomBytes(3).toString("hex")}`;
  // Six points 5 minutes apart, the newest at most 5 minutes old: well inside "last hour" however long sign-in takes.
  const base = Math.floor(Date.now() / 300_000) * 300_000;
  const at = (k: number) => new Date(base - (5 - k) * 300_000).toISOString();
  const eu = [10, 20, 30, 50, 40, 42];
  const us = [5, 6, 7, 8, 9, 11];

  const pushed = await request.post("/api/v1/metrics", {
    headers: auth,
    data: {
      series: [
        { name, labels: { region: "eu" }, points: eu.map((value, k) => ({ at: at(k), value })) },
        // Epoch milliseconds are accepted too.
        { name, labels: { region: "us" }, points: us.map((value, k) => ({ at: Date.parse(at(k)), value })) },
      ],
    },
  });
  expect(pushed.status()).toBe(200);
  expect(await pushed.json()).toEqual({ data: { series: 2, points: 12 } });

  // A bad item gets a 400 naming it, and nothing of that push is stored.
  const bad = await request.post("/api/v1/metrics", {
    headers: auth,
    data: { series: [{ name: `${name}_bad`, points: [{ at: at(0), value: 1 }, { at: at(1), value: "lots" }] }] },
  });
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toBe("series[0].points[1].value: must be a finite number");
  const listed = await request.get("/api/v1/metrics", { headers: auth });
  const names = ((await listed.json()) as { data: { metrics: { name: string }[] } }).data.metrics.map((m) => m.name);
  expect(names).toContain(name);
  expect(names).not.toContain(`${name}_bad`);

  await signInAs(page, operator);
  await page.goto("/health/business-metrics");
  await expect(page.getByRole("heading", { level: 1, name: "Business metrics" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Health and metrics" }).getByRole("link", { name: "Business metrics" })).toHaveAttribute("aria-current", "page");

  await expect(async () => {
    await page.getByLabel("Metric", { exact: true }).selectOption(name);
    await expect(page).toHaveURL(new RegExp(`metric=${name}`), { timeout: 1_000 });
  }).toPass();
  await page.getByLabel("Aggregation").selectOption({ label: "Sum" });
  await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "1h" }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page).toHaveURL(/agg=sum/);

  const figure = page.getByRole("figure", { name: new RegExp(`^${name}: sum per 5 minutes`) });
  await expect(figure).toBeVisible();
  await expect(figure.getByText("region=eu: last 42, min 10, max 50")).toBeVisible();
  await expect(figure.getByText("region=us: last 11, min 5, max 11")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/business-metrics.png", fullPage: true });

  const download = page.waitForEvent("download");
  await figure.getByRole("link", { name: /Download CSV/ }).click();
  const file = await (await download).path();
  const csv = readFileSync(file, "utf8").trim().split("\r\n");
  expect(csv[0]).toBe("time,region=eu,region=us");
  expect(csv.slice(1)).toEqual(eu.map((v, k) => `${at(k)},${v},${us[k]}`));

  // A label filter narrows the chart to one line; the URL keeps it, so a reload shows the same.
  await page.getByLabel("Label region").selectOption("eu");
  await expect(figure.getByText("region=us: last 11, min 5, max 11")).toHaveCount(0);
  await expect(figure.getByText("region=eu: last 42, min 10, max 50")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Label region")).toHaveValue("eu");
  await expect(page.getByLabel("Aggregation")).toHaveValue("sum");
  await expect(page.getByRole("figure", { name: new RegExp(`^${name}`) }).getByText("region=eu: last 42, min 10, max 50")).toBeVisible();

  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screens/business-metrics-dark.png", fullPage: true });
});

test("the demo metrics chart 30 days of orders by region", async ({ page }) => {
  const viewer = createAccount("VIEWER", "Vic Charts");
  await signInAs(page, viewer);
  await page.goto("/health/business-metrics?metric=orders_placed&range=30d&agg=avg");
  const figure = page.getByRole("figure", { name: /^orders_placed: average per/ });
  await expect(figure).toBeVisible();
  await expect(figure.getByText(/^region=eu: last/)).toBeVisible();
  await expect(figure.getByRole("link", { name: /Download CSV/ })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/business-metrics-demo.png", fullPage: true });
});
