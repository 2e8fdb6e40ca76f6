import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "../support/auth";
import { seedChanges } from "../support/change-list-seed";

// Seeding through tsx and signing in take a while on a busy 2-core machine.
test.describe.configure({ timeout: 90_000 });

const CHANGES = [
  { title: "{tag} upgrade postgres driver", status: "SUBMITTED", type: "NORMAL", risk: "MEDIUM", day: 4 },
  { title: "{tag} rotate TLS certificates", status: "APPROVED", type: "NORMAL", risk: "HIGH", day: 6 },
  { title: "{tag} hotfix checkout crash", status: "APPROVED", type: "EMERGENCY", risk: "HIGH", day: 2 },
  { title: "{tag} tune JVM heap", status: "DRAFT", type: "STANDARD", risk: "LOW", day: 8 },
  { title: "=SUM(1+1) {tag} scale search", status: "APPROVED", type: "NORMAL", risk: "LOW", day: 5, other: true },
];

const rowsOf = (page: Page) => page.getByRole("table", { name: /change requests/i }).locator("tbody tr");

test("an operator filters the change list by status and service, searches by number, sorts, and exports CSV", async ({ page }) => {
  const { tag, changes } = await seedChanges(CHANGES);
  await signIn(page, "ops@demo.local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Changes" }).click();
  await expect(page.getByRole("heading", { name: "Changes", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "New change request" })).toHaveAttribute("href", "/changes/new");
  await expect(page.getByRole("navigation", { name: "Changes" }).getByRole("link", { name: "Change requests" })).toHaveAttribute("aria-current", "page");

  // Search by the tag in the titles: the five seeded changes, latest planned start first.
  const filters = page.getByRole("form", { name: "Filter change requests" });
  await filters.getByLabel("Search").fill(tag);
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(rowsOf(page)).toHaveCount(5);
  await expect(rowsOf(page).first()).toContainText("tune JVM heap");
  await expect(rowsOf(page).nth(4)).toContainText("hotfix checkout crash");
  await expect(rowsOf(page).nth(4)).toContainText("Retrospective due");

  // Approved changes on the production service only.
  await filters.getByRole("checkbox", { name: "Approved" }).check();
  await filters.getByLabel("Service").selectOption({ label: `list-${tag} (production)` });
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=APPROVED/);
  await expect(rowsOf(page)).toHaveCount(2);
  await expect(rowsOf(page).nth(0)).toContainText("rotate TLS certificates");
  await expect(rowsOf(page).nth(1)).toContainText("hotfix checkout crash");
  for (const row of await rowsOf(page).all()) await expect(row).toContainText("Approved");
  await page.screenshot({ path: "test-results/screens/changes-list.png", fullPage: true });

  // Sorting by number keeps the filter; the header says the order.
  const table = page.getByRole("table", { name: /change requests/i });
  await table.getByRole("link", { name: /^Number/ }).click();
  await expect(table.getByRole("columnheader", { name: /Number/ })).toHaveAttribute("aria-sort", "descending");
  await expect(rowsOf(page).nth(0)).toContainText(changes[2]!.reference);
  await table.getByRole("link", { name: /^Number/ }).click();
  await expect(table.getByRole("columnheader", { name: /Number/ })).toHaveAttribute("aria-sort", "ascending");
  await expect(rowsOf(page).nth(0)).toContainText(changes[1]!.reference);
  await expect(page).toHaveURL(/status=APPROVED.*sort=number&dir=asc/);

  // The CSV holds every change matching the filter, with a safe header and cells.
  await page.goto(`/changes?q=${tag}&sort=number&dir=asc`);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: /Export CSV/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^changes-\d{8}T\d{6}Z\.csv$/);
  const lines = (await readFile((await file.path())!, "utf8")).trimEnd().split("\r\n");
  expect(lines[0]).toBe(
    "number,title,service,environment,type,risk,status,requester,requester_email,planned_start,planned_end,created_at,retrospective_due",
  );
  expect(lines).toHaveLength(6);
  expect(lines[1]).toMatch(new RegExp(`^${changes[0]!.reference},${tag} upgrade postgres driver,list-${tag},PRODUCTION,NORMAL,MEDIUM,SUBMITTED,Omar Operator,ops@demo.local,2027-01-04T09:00:00.000Z,`));
  expect(lines[5]).toContain(`,"'=SUM(1+1) ${tag} scale search",other-${tag},STAGING,`);

  // A number finds exactly that change, and its row links to it.
  const target = changes[3]!;
  await page.goto("/changes");
  await filters.getByLabel("Search").fill(target.reference.toLowerCase());
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(rowsOf(page)).toHaveCount(1);
  await expect(rowsOf(page).getByRole("link", { name: target.reference })).toHaveAttribute("href", `/changes/${target.reference}`);
  await expect(rowsOf(page)).toContainText("tune JVM heap");
});

test("a viewer reads the list without the create button, and an empty filter says what to do", async ({ page }) => {
  const { tag } = await seedChanges(CHANGES.slice(0, 2));
  await signIn(page, "viewer@demo.local");
  await page.goto(`/changes?q=${tag}`);
  await expect(rowsOf(page)).toHaveCount(2);
  await expect(page.getByRole("link", { name: "New change request" })).toHaveCount(0);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screens/changes-list-dark.png", fullPage: true });

  await page.goto(`/changes?q=${tag}&status=CLOSED`);
  await expect(page.getByText("No change request matches these filters.")).toBeVisible();
  await expect(page.getByRole("link", { name: /Export CSV/ })).toHaveCount(0);
  await page.goto("/changes?from=2027-02-01&to=2027-01-01");
  await expect(page.getByRole("form", { name: "Filter change requests" }).getByRole("alert")).toContainText("“To” must not be before “From”.");
});
