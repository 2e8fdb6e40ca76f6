import { expect, test, type Page } from "@playwright/test";
import { createAccount, signInAs } from "../support/accounts";
import { signIn } from "../support/auth";
import { seedChanges } from "../support/change-list-seed";

// Signing in takes a while on a busy 2-core machine.
test.describe.configure({ timeout: 90_000 });

function waitingCard(page: Page) {
  return page.getByRole("region", { name: "Waiting on you" });
}

test("a stakeholder sees a change waiting on their UAT sign-off and opens it from the dashboard", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, "stakeholder@demo.local");
  await page.goto("/");
  const list = waitingCard(page).getByRole("list", { name: "Changes waiting on you" });
  // The demo's card tokenisation upgrade names the stakeholder (payments-api) and waits on their UAT.
  const item = list.getByRole("link").filter({ hasText: "Your UAT sign-off" }).filter({ hasText: "Upgrade card tokenisation library to 5.3" });
  await expect(item).toBeVisible();
  await expect(waitingCard(page)).toContainText(/\d+ UAT sign-offs?/);
  await page.screenshot({ path: "test-results/screens/dashboard-stakeholder.png", fullPage: true });

  const reference = /CHG-\d{6}/.exec((await item.textContent()) ?? "")?.[0];
  expect(reference).toBeTruthy();
  await item.click();
  // The change page may not be built on this branch yet: the URL is what the dashboard owns.
  await expect(page).toHaveURL(new RegExp(`/changes/${reference}$`));
});

test("a viewer is told plainly that nothing is waiting on them", async ({ page }) => {
  await signIn(page, "viewer@demo.local");
  await page.goto("/");
  await expect(waitingCard(page)).toContainText("Nothing is waiting on you");
  await expect(page.getByRole("region", { name: "Upcoming changes (next 7 days)" })).toBeVisible();
});

test("a release manager sees the approval waiting on them, the retrospective due and the week's changes", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, "release@demo.local");
  await page.goto("/");
  const list = waitingCard(page).getByRole("list", { name: "Changes waiting on you" });
  await expect(list.getByRole("link").filter({ hasText: "Your approval (high risk, 0 of 2)" })).toContainText("Enable address autocomplete at checkout");
  await expect(list.getByRole("link").filter({ hasText: "Retrospective review due" })).toContainText("Emergency: patch session fixation in sign-in");
  const upcoming = page.getByRole("region", { name: "Upcoming changes (next 7 days)" });
  await expect(upcoming.getByRole("link", { name: /Reindex catalogue with the new analyser/ })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/dashboard-release.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screens/dashboard-release-dark.png", fullPage: true });
});

test("an operator sees their draft and their rejected change with the reason", async ({ page }) => {
  // An operator of this test's own: other specs raise drafts as ops@demo.local, which would crowd the card.
  const operator = createAccount("OPERATOR", "Olive Operator");
  const { changes } = await seedChanges(
    [
      { title: "Rotate {tag} signing keys", status: "DRAFT", type: "NORMAL", risk: "MEDIUM", day: 10 },
      {
        title: "Drop {tag} legacy tables",
        status: "REJECTED",
        type: "NORMAL",
        risk: "HIGH",
        day: 12,
        rejection: "Finance still reads two of these tables.",
      },
    ],
    operator.email,
  );
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signInAs(page, operator);
  await page.goto("/");
  const list = waitingCard(page).getByRole("list", { name: "Changes waiting on you" });
  const rejected = list.getByRole("link").filter({ hasText: "Your change was rejected" });
  await expect(rejected).toContainText(changes[1]!.title);
  await expect(rejected).toContainText("Rita Release: Finance still reads two of these tables.");
  await expect(list.getByRole("link").filter({ hasText: "Your draft, not submitted yet" })).toContainText(changes[0]!.title);
  await page.screenshot({ path: "test-results/screens/dashboard-ops.png", fullPage: true });
});

function utcInput(d: Date): string {
  return d.toISOString().slice(0, 16);
}

test("a freeze starting within 48 hours shows as a banner on everyone's dashboard", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  const reason = "Staging database failover drill";
  const start = new Date(Date.now() + 3 * 3_600_000);
  const end = new Date(Date.now() + 5 * 3_600_000);
  await signIn(page, "release@demo.local");
  await page.goto("/changes/freeze-windows");
  const form = page.getByRole("form", { name: "Create a freeze window" });
  await form.getByLabel("Starts (UTC)").fill(utcInput(start));
  await form.getByLabel("Ends (UTC)").fill(utcInput(end));
  await form.getByLabel("Environment").selectOption({ label: "Staging" });
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: "Create freeze window" }).click();
  await expect(form.getByRole("status")).toContainText("Freeze window created");

  await page.goto("/");
  const banner = page.getByRole("region", { name: "Change freeze" });
  await expect(banner).toContainText(new RegExp(`Change freeze starts in [23] hours for Staging: ${reason}\\.`));
  await banner.getByRole("link", { name: "See freeze windows" }).click();
  await expect(page).toHaveURL(/\/changes\/freeze-windows$/);
  await page.goto("/");
  await page.screenshot({ path: "test-results/screens/dashboard-freeze-banner.png", fullPage: true });
});
