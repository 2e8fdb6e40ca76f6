import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "../support/auth";

async function shot(page: Page, name: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

test("an operator adds a service with a stakeholder and links, finds it in the catalogue and edits it", async ({ page }) => {
  test.setTimeout(90_000);
  const name = `ledger-${randomBytes(3).toString("hex")}`;
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, "ops@demo.local");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Services" }).click();
  await expect(page.getByRole("heading", { name: "Services", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Services" }).getByRole("link", { name: "checkout-web" })).toBeVisible();
  await shot(page, "services-list");

  await page.getByRole("link", { name: "Add service" }).click();
  const form = page.getByRole("form", { name: "Add a service" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Environment").selectOption({ label: "Production" });
  await form.getByLabel("Owner team").fill("Finance");
  await form.getByLabel("Tier").selectOption({ label: "Tier 1 · business critical" });
  await form.getByLabel("Description").fill("General ledger and month-end close");
  await form.getByLabel("Repository").fill("git.example.internal/finance/ledger");
  await form.getByRole("checkbox", { name: /Sam Stakeholder/ }).check();
  await form.getByRole("button", { name: "Create service" }).click();

  // Refused with the reason next to the field; everything typed is still there.
  const urlError = "Enter the full repository address starting with https:// or http://, or leave it empty.";
  await expect(form.getByRole("alert")).toHaveText(urlError);
  await expect(form.getByLabel("Repository")).toHaveAccessibleDescription(urlError);
  await expect(form.getByLabel("Repository")).toBeFocused();
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue(name);
  await expect(form.getByRole("checkbox", { name: /Sam Stakeholder/ })).toBeChecked();
  await shot(page, "services-form-error");

  await form.getByLabel("Repository").fill("https://git.example.internal/finance/ledger");
  await form.getByLabel("Runbook").fill("https://wiki.example.internal/runbooks/ledger");
  await form.getByLabel("Dashboard").fill("https://grafana.example.internal/d/ledger");
  await form.getByRole("button", { name: "Create service" }).click();

  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/services\/[a-z0-9]+$/);
  const repo = page.getByRole("link", { name: /^Repository/ });
  await expect(repo).toHaveAttribute("href", "https://git.example.internal/finance/ledger");
  await expect(repo).toHaveAttribute("target", "_blank");
  await expect(repo).toHaveAttribute("rel", /noopener/);
  const stakeholders = page.getByRole("region", { name: "Stakeholders (1)" });
  await expect(stakeholders.getByText("Sam Stakeholder")).toBeVisible();
  await expect(stakeholders.getByText("stakeholder@demo.local")).toBeVisible();
  await expect(page.getByText("No change requests for this service yet.")).toBeVisible();
  await shot(page, "services-detail");

  await page.getByRole("link", { name: "All services" }).click();
  await page.getByRole("searchbox", { name: "Search by name" }).fill(name);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${name}`));
  const row = page.getByRole("table", { name: "Matching services" }).getByRole("row").filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("cell")).toHaveText(["Production", "Finance", "Tier 1 · business critical", "1"]);

  await row.getByRole("link", { name }).click();
  await page.getByRole("link", { name: "Edit service" }).click();
  const edit = page.getByRole("form", { name: `Edit ${name}` });
  await expect(edit.getByLabel("Owner team")).toHaveValue("Finance");
  await expect(edit.getByRole("checkbox", { name: /Sam Stakeholder/ })).toBeChecked();
  await shot(page, "services-form-edit");
  await edit.getByLabel("Owner team").fill("Treasury");
  await edit.getByLabel("Tier").selectOption({ label: "Tier 2 · important" });
  await edit.getByRole("checkbox", { name: /Sam Stakeholder/ }).uncheck();
  await edit.getByRole("button", { name: "Save changes" }).click();

  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByText("Owned by Treasury")).toBeVisible();
  await expect(page.getByText("Tier 2 · important")).toBeVisible();
  await expect(page.getByRole("region", { name: "Stakeholders (0)" })).toBeVisible();

  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/services/new");
  await expect(page.getByRole("heading", { name: "Add a service", level: 1 })).toBeVisible();
  await shot(page, "services-form-dark");
  await page.goto("/services?environment=PRODUCTION");
  await page.getByRole("table", { name: "Matching services" }).getByRole("link", { name: "payments-api" }).click();
  await expect(page.getByRole("heading", { name: "payments-api", level: 1 })).toBeVisible();
  await shot(page, "services-detail-dark");
});

test("a viewer reads the catalogue and a service but cannot add or edit one", async ({ page }) => {
  await signIn(page, "viewer@demo.local");
  await page.goto("/services");
  await expect(page.getByRole("table", { name: "Services" }).getByRole("link", { name: "checkout-web" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Add service" })).toHaveCount(0);
  await page.setViewportSize({ width: 390, height: 800 });
  await shot(page, "services-list-phone");
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole("table", { name: "Services" }).getByRole("link", { name: "checkout-web" }).click();
  await expect(page.getByRole("heading", { name: "checkout-web", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Stakeholders (1)" }).getByText("Sam Stakeholder")).toBeVisible();
  await expect(page.getByRole("link", { name: /^Runbook/ })).toHaveAttribute("href", "https://wiki.example.internal/runbooks/checkout-web");
  await expect(page.getByRole("link", { name: "Edit service" })).toHaveCount(0);
  await page.setViewportSize({ width: 390, height: 800 });
  await shot(page, "services-detail-phone");
  await page.setViewportSize({ width: 1280, height: 900 });
  const editPath = `${new URL(page.url()).pathname}/edit`;

  await page.goto("/services/new");
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await page.goto(editPath);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
});
