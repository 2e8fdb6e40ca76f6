import { expect, test, type Browser, type Page } from "@playwright/test";
import { confirmStepUp, createAccount, signInAs, type Account } from "../support/accounts";
import { approve, raiseChange, seedFreeze, shot, statusOf, submitForApproval } from "./helpers";

async function pageFor(browser: Browser, account: Account): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, account);
  return page;
}

test("an emergency change in a freeze is flagged, scheduled only with an override reason, and flagged until its retrospective", async ({ browser }) => {
  test.setTimeout(180_000);
  const operator = createAccount("OPERATOR", "Ezra Emergency");
  const releaser = createAccount("RELEASE_MANAGER", "Remy Reviewer");
  // A freeze 40 days out, away from the other specs' windows.
  const day = new Date(Date.now() + 40 * 86_400_000);
  day.setUTCHours(0, 0, 0, 0);
  seedFreeze({ startsAt: day, endsAt: new Date(day.getTime() + 86_400_000), reason: "Year-end trading freeze", createdById: releaser.id });

  const ops = await pageFor(browser, operator);
  const number = await raiseChange(ops, { title: `Hotfix ${Date.now()}`, type: "Emergency", risk: "High risk", inDays: 40 });
  const flags = statusOf(ops);
  await expect(flags).toContainText("Emergency");
  await expect(flags).toContainText("Freeze conflict");
  await expect(ops.getByText(/overlaps a freeze window: .*Year-end trading freeze/)).toBeVisible();
  await submitForApproval(ops);

  const release = await pageFor(browser, releaser);
  await release.goto(`/changes/${number}`);
  await expect(release.getByRole("region", { name: "Approvals" })).toContainText("Emergency change: 1 approval by a Release manager");
  await approve(release, "Customer-facing outage; go.");
  await confirmStepUp(release, releaser);
  await expect(statusOf(release)).toContainText("Approved");
  await expect(statusOf(release)).toContainText("Retrospective due");
  await shot(release, "change-emergency-approved.png");

  // Scheduling into the freeze needs a reason, and records it.
  await ops.reload();
  await ops.getByRole("button", { name: "Schedule despite the freeze…" }).click();
  const schedule = ops.getByRole("form", { name: "Schedule in a freeze window" });
  await schedule.getByRole("button", { name: "Schedule with override" }).click();
  await expect(schedule.getByText("Say why this emergency change must go ahead during the freeze.")).toBeVisible();
  await expect(statusOf(ops)).toContainText("Approved");
  await schedule.getByLabel("Override reason").fill("Payment outage; cannot wait for the freeze to end.");
  await schedule.getByRole("button", { name: "Schedule with override" }).click();
  await expect(statusOf(ops)).toContainText("Scheduled");
  await expect(ops.getByText(/Overridden: Payment outage/)).toBeVisible();
  // The requester cannot review their own emergency change.
  await expect(ops.getByRole("button", { name: "Record retrospective…" })).toHaveCount(0);

  await release.reload();
  await release.getByRole("button", { name: "Record retrospective…" }).click();
  const retro = release.getByRole("form", { name: "Retrospective review" });
  await retro.getByLabel("Retrospective notes").fill("Root cause: expired certificate. Add expiry alerts.");
  await retro.getByRole("button", { name: "Record retrospective" }).click();
  await expect(release.getByRole("status").filter({ hasText: "Retrospective recorded." })).toBeVisible();
  await expect(statusOf(release)).not.toContainText("Retrospective due");
  await expect(release.getByRole("region", { name: "Reviews" })).toContainText("expired certificate");
  await shot(release, "change-emergency-scheduled.png");
  await shot(release, "change-emergency-scheduled-dark.png", "dark");
});
