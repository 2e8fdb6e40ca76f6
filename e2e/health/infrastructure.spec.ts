import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { freePort, startNodeExporter, startPrometheus, waitForSeries, type RunningPrometheus } from "../../lib/testing/prometheus";
import { confirmStepUp, createAccount, signInAs } from "../support/accounts";

/*
 * A real Prometheus (Debian's package) on a free loopback port, scraping this e2e portal's own
 * /api/metrics and a node exporter every second. An admin configures it as the data source; an
 * operator gives a service its selectors and sees CPU, memory and request panels drawn from real
 * data, then adds a custom PromQL panel.
 */

const PORT = Number(process.env.E2E_PORT ?? 3210);
const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db";

let prom: RunningPrometheus;
let nodeExporter: Awaited<ReturnType<typeof startNodeExporter>>;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  nodeExporter = await startNodeExporter();
  prom = await startPrometheus([
    // /api/metrics wants METRICS_TOKEN as a bearer token when the server has one (lib/platform/metrics-auth.ts).
    { name: "portal", target: `127.0.0.1:${PORT}`, path: "/api/metrics", bearerToken: process.env.METRICS_TOKEN },
    ...(nodeExporter ? [{ name: "node", target: nodeExporter.target }] : []),
  ]);
  await waitForSeries(prom.url, 'count_over_time(http_requests_total{job="portal"}[1m]) >= 5');
  if (nodeExporter) await waitForSeries(prom.url, 'count_over_time(node_cpu_seconds_total{job="node",mode="idle"}[1m]) >= 5');
});

test.afterAll(async () => {
  await prom?.stop();
  await nodeExporter?.stop();
});

function seedService(): { id: string; name: string } {
  const name = `metrics-${randomBytes(3).toString("hex")}`;
  const out = execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "e2e/support/prometheus-seed-cli.ts", "service", name], {
    env: { ...process.env, DATABASE_URL: E2E_DATABASE_URL, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
  return { ...(JSON.parse(out) as { id: string }), name };
}

/** A chart card by its title, once it draws data (its summary says "last …", not the empty message). */
async function expectData(page: Page, title: string | RegExp) {
  const figure = page.getByRole("figure", { name: title });
  await expect(figure).toContainText(/last \d/, { timeout: 20_000 });
  return figure;
}

test("an admin connects Prometheus, an operator sets a service's selectors and sees its infrastructure panels with real data, and adds a PromQL panel", async ({ browser }) => {
  test.setTimeout(240_000);
  const service = seedService();
  const admin = createAccount("ADMIN", "Prom Admin");
  const operator = createAccount("OPERATOR", "Prom Operator");

  // Before any data source: the tab says so plainly.
  const opsPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signInAs(opsPage, operator);
  await opsPage.goto(`/health/${service.id}/infrastructure`);
  await expect(opsPage.getByText("No Prometheus data source is configured. An administrator can add one under Admin > Prometheus.")).toBeVisible();

  // The admin: a wrong address fails the test, the right one shows the version; saving needs step-up.
  const adminPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signInAs(adminPage, admin);
  await adminPage.goto("/admin/prometheus");
  const form = adminPage.getByRole("form", { name: "Prometheus data source" });
  const closed = `http://127.0.0.1:${await freePort()}`;
  await form.getByLabel("Prometheus URL").fill(closed);
  await form.getByLabel("Scrape interval (seconds)").fill("1");
  await expect(async () => {
    await form.getByRole("button", { name: "Test connection" }).click();
    await expect(form.getByRole("alert")).toHaveText(`Connection failed: Prometheus at ${closed} did not answer: connection refused.`, { timeout: 3000 });
  }).toPass();
  await form.getByLabel("Prometheus URL").fill(prom.url);
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(form.getByRole("status")).toContainText(`Connected to Prometheus 2.`);
  await form.getByRole("button", { name: "Save data source" }).click();
  await confirmStepUp(adminPage, admin);
  await expect(form.getByRole("status").first()).toHaveText("Data source saved. Panels use it from their next refresh.");
  await adminPage.screenshot({ path: "test-results/screens/admin-prometheus.png", fullPage: true });

  // The operator: no selectors yet -> told which to set; set them -> panels draw real data.
  await opsPage.reload();
  await expect(opsPage.getByText(`${service.name} has no Prometheus selectors yet.`)).toBeVisible();
  const selectors = opsPage.getByRole("form", { name: "Prometheus selectors" });
  await selectors.getByLabel("App selector").fill('job="portal"} or vector(1');
  await expect(async () => {
    await selectors.getByRole("button", { name: "Save selectors" }).click();
    await expect(selectors.getByRole("alert")).toContainText("list of label matchers", { timeout: 3000 });
  }).toPass();
  await expect(selectors.getByLabel("App selector")).toHaveAttribute("aria-invalid", "true");
  await selectors.getByLabel("App selector").fill('job="portal"');
  if (nodeExporter) await selectors.getByLabel("Node selector").fill('job="node"');
  await selectors.getByRole("button", { name: "Save selectors" }).click();
  await expect(selectors.getByRole("status")).toHaveText("Selectors saved.");

  if (nodeExporter) {
    await expectData(opsPage, "CPU used");
    await expectData(opsPage, "Memory used");
    await expectData(opsPage, "Disk used");
    await expectData(opsPage, "Network traffic");
  }
  await expectData(opsPage, "Request rate");
  await expectData(opsPage, "Latency p95");
  // No 5xx from the portal: a 0 % share, not "no data".
  await expect(await expectData(opsPage, "Error rate (5xx share)")).toContainText("last 0 %");
  await expect(opsPage.getByText("No Prometheus data source is configured")).toHaveCount(0);

  // The CSV of a panel is the same data, permission-checked like the JSON.
  const csv = await opsPage.request.get(`/api/prometheus/panels/${service.id}?panel=requests&range=1h&format=csv`);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).split("\r\n")[0]).toBe("time (UTC),requests");

  // A custom panel: a bad query shows Prometheus' own complaint; a good one previews, then saves.
  const editor = opsPage.getByRole("form", { name: "Add a panel" });
  await editor.getByLabel("Title").fill("Scrape duration");
  await editor.getByLabel("Unit").selectOption({ label: "Seconds" });
  await editor.getByLabel("PromQL query").fill("sum by (job) (scrape_duration_seconds");
  await editor.getByRole("button", { name: "Preview" }).click();
  await expect(editor.getByRole("figure", { name: "Preview: Scrape duration" })).toContainText("Prometheus did not accept the query: ");
  await editor.getByLabel("PromQL query").fill("sum by (job) (scrape_duration_seconds)");
  await editor.getByRole("button", { name: "Preview" }).click();
  await expect(editor.getByRole("figure", { name: "Preview: Scrape duration" })).toContainText(/job="portal": last \d/);
  await editor.getByRole("button", { name: "Save panel" }).click();
  const custom = opsPage.getByRole("region", { name: "Custom panels" });
  await expect(custom.getByRole("figure", { name: "Scrape duration" })).toContainText(/last \d/, { timeout: 20_000 });
  await opsPage.screenshot({ path: "test-results/screens/health-infrastructure.png", fullPage: true });
  await opsPage.emulateMedia({ colorScheme: "dark" });
  await opsPage.screenshot({ path: "test-results/screens/health-infrastructure-dark.png", fullPage: true });
  await opsPage.emulateMedia({ colorScheme: "light" });
  await custom.getByText("Query and actions").click();
  await expect(custom.getByText("sum by (job) (scrape_duration_seconds)")).toBeVisible();
  await custom.getByRole("button", { name: "Edit Scrape duration" }).click();
  const edit = opsPage.getByRole("form", { name: "Edit panel Scrape duration" });
  await expect(edit.getByLabel("PromQL query")).toHaveValue("sum by (job) (scrape_duration_seconds)");
  await edit.getByLabel("Title").fill("Portal scrape duration");
  await edit.getByLabel("PromQL query").fill('scrape_duration_seconds{job="portal"}');
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(custom.getByRole("figure", { name: "Portal scrape duration" })).toContainText(/last \d/, { timeout: 20_000 });
  await expect(opsPage.getByRole("form", { name: "Add a panel" })).toBeVisible();
  // The panel's details stay open across the save.
  const remove = custom.getByRole("button", { name: "Delete Portal scrape duration" });
  if (!(await remove.isVisible())) await custom.getByText("Query and actions").click();
  await remove.click();
  await custom.getByRole("button", { name: "Delete panel" }).click();
  await expect(custom.getByText("No custom panels yet.")).toBeVisible();

  // The admin's API-performance page: this instance's routes, and the history from Prometheus.
  await adminPage.goto("/admin/api-performance");
  await expect(adminPage.getByRole("table")).toContainText("/api/prometheus/panels/[serviceId]");
  await expectData(adminPage, "Portal request rate");
  await expectData(adminPage, "Portal latency (p50, p95)");
  await adminPage.getByRole("button", { name: "p95" }).click();
  await expect(adminPage.getByRole("columnheader", { name: "p95" })).toHaveAttribute("aria-sort", "descending");
  await adminPage.screenshot({ path: "test-results/screens/admin-api-performance.png", fullPage: true });
});
