import { execFileSync } from "node:child_process";
import { expect, type Page } from "@playwright/test";

export type RaiseOptions = {
  title: string;
  service?: string;
  type?: "Standard" | "Normal" | "Emergency";
  risk?: "Low risk" | "Medium risk" | "High risk";
  /** Names of people to tick as stakeholders (on top of the service's own, which are unticked first). */
  stakeholders?: string[];
  /** The window starts this many days from now at 10:00 UTC and lasts an hour (default 7). */
  inDays?: number;
};

/** "2026-12-04T10:00": a datetime-local value `days` from now, on the hour, in UTC. */
export function inDays(days: number, hour = 10): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString().slice(0, 16);
}

/** Raises a change through the form and returns its number, e.g. "CHG-000012", on its page. */
export async function raiseChange(page: Page, o: RaiseOptions): Promise<string> {
  await page.goto("/changes/new");
  const form = page.getByRole("form", { name: "Raise a change request" });
  await form.getByLabel("Title").fill(o.title);
  await form.getByLabel("Service").selectOption({ label: o.service ?? "orders-service (production)" });
  await form.getByLabel("Type").selectOption({ label: o.type ?? "Normal" });
  await form.getByLabel("Risk", { exact: true }).selectOption({ label: o.risk ?? "Medium risk" });
  await form.getByLabel("Risk assessment").fill("Schema change on a busy table; a slow migration would hold locks.");
  await form.getByLabel("Description").fill("Adds an index to speed up the order search.");
  await form.getByLabel("Implementation plan").fill("1. Apply the migration.\n2. Deploy v2.4.1 blue-green.");
  await form.getByLabel("Rollback plan").fill("Switch traffic back to the old colour; drop the index.");
  await form.getByLabel("Planned start (UTC)").fill(inDays(o.inDays ?? 7, 10));
  await form.getByLabel("Planned end (UTC)").fill(inDays(o.inDays ?? 7, 11));
  await form.getByLabel("Version or artefact").fill("v2.4.1");
  const stakeholders = form.getByRole("group", { name: "Named stakeholders" });
  for (const box of await stakeholders.getByRole("checkbox", { checked: true }).all()) await box.uncheck();
  for (const name of o.stakeholders ?? []) await stakeholders.getByRole("checkbox", { name: new RegExp(name) }).check();
  await form.getByRole("button", { name: "Create draft" }).click();
  await page.waitForURL(/\/changes\/CHG-\d{6}$/);
  const number = page.url().split("/").pop() ?? "";
  await expect(page.getByRole("heading", { level: 1 })).toContainText(o.title);
  return number;
}

/** The status shown in the change's header. */
export function statusOf(page: Page) {
  return page.getByRole("group", { name: "Status and classification" });
}

export async function submitForApproval(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Submit for approval" }).click();
  await page.getByRole("group", { name: "Submit for approval" }).getByRole("button", { name: "Submit" }).click();
  await expect(statusOf(page)).toContainText("Submitted");
}

/** Opens the approve form, ticks the rollback acknowledgement and sends it (step-up follows). */
export async function approve(page: Page, comment = ""): Promise<void> {
  await page.getByRole("button", { name: "Approve…" }).click();
  const form = page.getByRole("form", { name: "Approve this change" });
  if (comment) await form.getByLabel("Comment (optional)").fill(comment);
  await form.getByLabel("I have read the rollback plan").check();
  await form.getByRole("button", { name: "Approve change" }).click();
}

export function checklistItem(page: Page, label: string) {
  return page.getByRole("region", { name: "Pre-deployment checklist" }).getByRole("listitem", { name: label });
}

/** A full-page screenshot from the top, after colour transitions settle (dark mode switches animate). */
export async function shot(page: Page, name: string, scheme: "light" | "dark" = "light"): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: `test-results/screens/${name}`, fullPage: true });
}

/** A freeze window over every environment, written straight into the e2e database. */
export function seedFreeze(window: { startsAt: Date; endsAt: Date; reason: string; createdById: string }): void {
  execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "e2e/changes/freeze-cli.ts", JSON.stringify(window)], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db", LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
}
