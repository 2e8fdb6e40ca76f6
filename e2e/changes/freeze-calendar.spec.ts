import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth";
import { seedChangesOnOneService } from "../support/changes-seed";

// Seeding through tsx and signing in take a while on a busy 2-core machine.
test.describe.configure({ timeout: 90_000 });

// Far enough ahead that the freeze is "upcoming" and no other spec's data lands in these months.
const FREEZE_MONTH = "2030-06-01";

test("a release manager creates a freeze window, sees it listed and on the calendar, and can cancel it", async ({ page }) => {
  const reason = `Mid-year trading peak ${randomBytes(3).toString("hex")}`;
  await signIn(page, "release@demo.local");
  await page.goto("/changes/freeze-windows");
  await expect(page.getByRole("heading", { name: "Freeze windows", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Changes" }).getByRole("link", { name: "Freeze windows" })).toHaveAttribute("aria-current", "page");

  const form = page.getByRole("form", { name: "Create a freeze window" });
  // Refused with a message per field when empty.
  await form.getByRole("button", { name: "Create freeze window" }).click();
  await expect(form.getByText("Enter when the freeze starts.")).toBeVisible();
  await expect(form.getByText('Say why changes are frozen, e.g. "Black Friday trading".')).toBeVisible();

  await form.getByLabel("Starts (UTC)").fill("2030-06-10T08:00");
  await form.getByLabel("Ends (UTC)").fill("2030-06-12T18:00");
  await form.getByLabel("Environment").selectOption({ label: "All environments" });
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: "Create freeze window" }).click();
  await expect(form.getByRole("status")).toContainText("Freeze window created");

  const upcoming = page.getByRole("region", { name: /^Upcoming/ });
  const item = upcoming.getByRole("listitem", { name: `Freeze: ${reason}` });
  await expect(item).toBeVisible();
  await expect(item).toContainText("10 Jun 2030, 08:00 UTC to 12 Jun 2030, 18:00 UTC");
  await expect(item).toContainText("All environments");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "test-results/screens/freeze-windows.png", fullPage: true });

  await page.getByRole("navigation", { name: "Changes" }).getByRole("link", { name: "Calendar" }).click();
  await expect(page.getByRole("heading", { name: "Change calendar", level: 1 })).toBeVisible();
  await page.goto(`/changes/calendar?view=month&date=${FREEZE_MONTH}`);
  await expect(page.getByRole("heading", { name: /June 2030/ })).toBeVisible();
  const chips = page.getByRole("link", { name: new RegExp(`Freeze, all environments: ${reason}`) });
  await expect(chips).toHaveCount(3); // 10, 11 and 12 June
  await expect(page.getByRole("cell", { name: /Tuesday, 11 June 2030: .*freeze in force/ })).toBeVisible();

  // The week view shows it too, with its reason in full.
  await page.getByRole("navigation", { name: "Calendar view" }).getByRole("link", { name: "Week" }).click();
  await expect(page).toHaveURL(/view=week&date=2030-06-01/);
  await page.getByRole("link", { name: "Next week" }).click();
  await expect(page).toHaveURL(/date=2030-06-03/);
  await page.getByRole("link", { name: "Next week" }).click();
  await expect(page).toHaveURL(/date=2030-06-10/);
  await expect(page.getByRole("region", { name: "Monday, 10 June 2030" }).getByText(`Freeze: ${reason}`)).toBeVisible();

  // Cancelling asks first, then the freeze leaves the upcoming list and the calendar.
  await page.goto("/changes/freeze-windows");
  await item.getByRole("button", { name: "Cancel freeze" }).click();
  await expect(item.getByRole("group", { name: "Cancel freeze" })).toContainText("The window stays on record as cancelled.");
  await item.getByRole("button", { name: "Yes, cancel this freeze" }).click();
  await expect(upcoming.getByRole("listitem", { name: `Freeze: ${reason}` })).toHaveCount(0);
  const past = page.getByRole("region", { name: "Past and cancelled freeze windows" });
  await past.getByText(/Past and cancelled/).click();
  await expect(past.getByRole("listitem", { name: `Freeze: ${reason}` })).toContainText("Cancelled");
  await page.goto(`/changes/calendar?view=month&date=${FREEZE_MONTH}`);
  await expect(chips).toHaveCount(0);
});

test("a viewer reads the calendar and the freeze list but gets no way to create or cancel a freeze", async ({ page }) => {
  await signIn(page, "viewer@demo.local");
  await page.goto("/changes/calendar");
  await expect(page.getByRole("heading", { name: "Change calendar", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Legend" })).toBeVisible();
  await page.getByRole("navigation", { name: "Changes" }).getByRole("link", { name: "Freeze windows" }).click();
  await expect(page.getByRole("heading", { name: "Freeze windows", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: /^In force now/ })).toBeVisible();
  await expect(page.getByRole("form", { name: "Create a freeze window" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Cancel freeze" })).toHaveCount(0);
});

test("overlapping changes on one service, and a change inside a freeze for its environment, are flagged on the calendar", async ({ page }) => {
  const freezeReason = `Quarter-end close ${randomBytes(3).toString("hex")}`;
  const { serviceName, numbers } = await seedChangesOnOneService(
    [
      { title: "Upgrade the payment gateway SDK", start: "2030-09-17T10:00:00Z", end: "2030-09-17T12:00:00Z" },
      { title: "Rotate the database credentials", start: "2030-09-17T11:00:00Z", end: "2030-09-17T13:00:00Z" },
      // Starts when the second ends: adjacent, not a conflict.
      { title: "Enable the new checkout banner", start: "2030-09-17T13:00:00Z", end: "2030-09-17T14:00:00Z" },
      { title: "Patch the TLS library", start: "2030-09-25T09:00:00Z", end: "2030-09-25T10:00:00Z" },
    ],
    [
      { start: "2030-09-24T00:00:00Z", end: "2030-09-26T00:00:00Z", environment: "PRODUCTION", reason: freezeReason },
      // Staging only: does not apply to this production service's changes on the 17th.
      { start: "2030-09-17T00:00:00Z", end: "2030-09-18T00:00:00Z", environment: "STAGING", reason: "Staging rebuild" },
    ],
  );
  const [first, second, third, fourth] = numbers as [string, string, string, string];
  await signIn(page, "ops@demo.local");
  await page.goto("/changes/calendar?view=month&date=2030-09-01");
  await expect(page.getByRole("heading", { name: /September 2030/ })).toBeVisible();

  const firstChip = page.getByRole("link", { name: new RegExp(`^${first}: Upgrade the payment gateway SDK`) });
  await expect(firstChip).toHaveAccessibleName(new RegExp(`Conflict: Overlaps ${second} \\(Rotate the database credentials\\) on the same service`));
  await expect(firstChip).toHaveAttribute("href", `/changes/${first}`);
  await expect(firstChip).not.toHaveAccessibleName(/freeze/);
  await expect(page.getByRole("link", { name: new RegExp(`^${second}: .*Conflict: Overlaps ${first}`) })).toBeVisible();
  await expect(page.getByRole("link", { name: new RegExp(`^${third}: `) })).not.toHaveAccessibleName(/Conflict/);

  const conflicts = page.getByRole("region", { name: /Conflicts in this view/ });
  await expect(conflicts).toContainText(`${first} Upgrade the payment gateway SDK (${serviceName}, 17 Sept, 10:00–12:00 UTC)`);
  await expect(conflicts).toContainText(`Conflict: Overlaps ${second} (Rotate the database credentials) on the same service`);
  await expect(conflicts).not.toContainText(third);
  await expect(conflicts).not.toContainText("Staging rebuild");
  await expect(conflicts).toContainText(`Conflict: In a freeze window (production: ${freezeReason})`);
  await expect(page.getByRole("link", { name: new RegExp(`^${fourth}: Patch the TLS library.*Conflict: In a freeze window`) })).toBeVisible();
  await expect(page.getByRole("cell", { name: /Wednesday, 25 September 2030: 1 change, freeze in force/ })).toContainText("1 in conflict");
  await page.screenshot({ path: "test-results/screens/calendar-month.png", fullPage: true });

  // Keyboard: the chip is a link reachable with Tab and opened with Enter.
  await firstChip.focus();
  await expect(firstChip).toBeFocused();

  await page.goto("/changes/calendar?view=week&date=2030-09-17");
  const day = page.getByRole("region", { name: "Tuesday, 17 September 2030" });
  // The staging freeze is drawn on that day too (it does not apply to this production service).
  await expect(day.getByRole("link", { name: /Freeze, staging: Staging rebuild/ })).toBeVisible();
  const entries = day.locator('a[href^="/changes/CHG-"]');
  await expect(entries).toHaveCount(3);
  await expect(entries.nth(0)).toContainText("10:00–12:00");
  await expect(entries.nth(0)).toContainText("Conflict");
  await expect(entries.nth(2)).toContainText("13:00–14:00");
  await expect(entries.nth(2)).not.toContainText("Conflict");
  await page.screenshot({ path: "test-results/screens/calendar-week.png", fullPage: true });

  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/changes/calendar?view=month&date=2030-09-01");
  await page.screenshot({ path: "test-results/screens/calendar-month-dark.png", fullPage: true });
});
