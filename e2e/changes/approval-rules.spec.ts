import { expect, test, type Browser, type Page } from "@playwright/test";
import { confirmStepUp, createAccount, signInAs, type Account } from "../support/accounts";
import { approve, checklistItem, inDays, raiseChange, shot, statusOf, submitForApproval } from "./helpers";

/*
 * The approval rules as people meet them on the change page. Each test brings its own accounts
 * (own authenticator secrets, so tests run in parallel) and raises its own change through the form.
 */


async function pageFor(browser: Browser, account: Account): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, account);
  return page;
}

test("the requester of a change sees no way to approve it, even as a release manager, and may cancel it with a reason", async ({ browser }) => {
  test.setTimeout(150_000);
  const releaser = createAccount("RELEASE_MANAGER", "Rhea Requester");
  const page = await pageFor(browser, releaser);
  const number = await raiseChange(page, { title: `Self-approval ${Date.now()}`, risk: "Low risk" });
  await submitForApproval(page);

  const approvals = page.getByRole("region", { name: "Approvals" });
  await expect(approvals).toContainText("You raised this change, so someone else must approve or reject it.");
  await expect(page.getByRole("button", { name: "Approve…" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reject…" })).toHaveCount(0);

  // Another release manager may.
  const other = await pageFor(browser, createAccount("RELEASE_MANAGER", "Otto Other"));
  await other.goto(`/changes/${number}`);
  await expect(other.getByRole("button", { name: "Approve…" })).toBeVisible();

  // The requester withdraws it instead: cancelling needs a reason too.
  await page.getByRole("button", { name: "Cancel change…" }).click();
  const cancel = page.getByRole("form", { name: "Cancel this change" });
  await cancel.getByRole("button", { name: "Cancel the change" }).click();
  await expect(cancel.getByText("Say why the change is cancelled.").first()).toBeVisible();
  await cancel.getByLabel("Reason for cancelling").fill("Raised by mistake; a colleague owns this work.");
  await cancel.getByRole("button", { name: "Cancel the change" }).click();
  await expect(statusOf(page)).toContainText("Cancelled");
  await expect(page.getByRole("region", { name: "Approvals" })).toContainText("Cancelled: no more decisions are taken.");
  await other.reload();
  await expect(other.getByRole("button", { name: "Approve…" })).toHaveCount(0);
});

test("editing an approved change makes its approval stale and says what changed", async ({ browser }) => {
  test.setTimeout(180_000);
  const operator = createAccount("OPERATOR", "Olga Editor");
  const releaser = createAccount("RELEASE_MANAGER", "Ravi Approver");
  const ops = await pageFor(browser, operator);
  const number = await raiseChange(ops, { title: `Stale approval ${Date.now()}`, risk: "Low risk" });
  await submitForApproval(ops);

  const release = await pageFor(browser, releaser);
  await release.goto(`/changes/${number}`);
  await approve(release, "Looks fine.");
  await confirmStepUp(release, releaser);
  await expect(statusOf(release)).toContainText("Approved");

  await ops.reload();
  await expect(statusOf(ops)).toContainText("Approved");
  await ops.getByRole("link", { name: "Edit" }).click();
  const form = ops.getByRole("form", { name: `Edit ${number}` });
  await form.getByLabel("Rollback plan").fill("Redeploy v2.4.0 from the registry; restore the index from last night's snapshot.");
  await form.getByLabel("Planned end (UTC)").fill(inDays(7, 12));
  await shot(ops, "change-edit.png");
  await form.getByRole("button", { name: "Save changes" }).click();
  await ops.waitForURL(new RegExp(`/changes/${number}$`));

  await expect(statusOf(ops)).toContainText("Submitted");
  const approval = ops.getByRole("listitem", { name: `Approval by ${releaser.name} (stale)` });
  await expect(approval).toContainText("Stale");
  await expect(approval).toContainText("Changed since: Rollback plan, Planned end");
  await shot(ops, "change-stale-approval.png");

  // Evidence is never edited: a new record replaces the last one, which stays listed.
  for (const [result, summary] of [["Failed", "p95 900 ms at 400 rps"], ["Passed", "p95 180 ms at 400 rps after the index"]] as const) {
    const row = checklistItem(ops, "Performance test results");
    await row.getByRole("button", { name: /Record (new )?evidence/ }).click();
    const form = ops.getByRole("form", { name: "Record performance test results evidence" });
    await form.getByLabel(result).check();
    await form.getByLabel("Results summary").fill(summary);
    await form.getByLabel("Report link").fill("https://ci.example.test/perf/1");
    await form.getByRole("button", { name: "Save evidence" }).click();
    await expect(row).toContainText(result === "Passed" ? "Complete" : "Failed");
    await row.getByRole("button", { name: "Close" }).click();
  }
  const row = checklistItem(ops, "Performance test results");
  await row.getByText("Earlier evidence (1)").click();
  await expect(row).toContainText("Failed: p95 900 ms at 400 rps");
});

test("a rejection needs a reason; with one the change is rejected at once", async ({ browser }) => {
  test.setTimeout(150_000);
  const operator = createAccount("OPERATOR", "Otis Rejected");
  const releaser = createAccount("RELEASE_MANAGER", "Rosa Rejecter");
  const ops = await pageFor(browser, operator);
  const number = await raiseChange(ops, { title: `Rejection ${Date.now()}`, risk: "High risk" });
  await submitForApproval(ops);

  const release = await pageFor(browser, releaser);
  await release.goto(`/changes/${number}`);
  await release.getByRole("button", { name: "Reject…" }).click();
  const form = release.getByRole("form", { name: "Reject this change" });
  await form.getByRole("button", { name: "Reject change" }).click();
  await confirmStepUp(release, releaser);
  await expect(form.getByRole("alert")).toContainText("Say why you are rejecting the change.");
  await expect(form.getByLabel("Reason for rejecting")).toHaveAttribute("aria-invalid", "true");
  await expect(statusOf(release)).toContainText("Submitted");

  await form.getByLabel("Reason for rejecting").fill("No load test for the new index; add one.");
  await form.getByRole("button", { name: "Reject change" }).click();
  await expect(statusOf(release)).toContainText("Rejected");
  await expect(release.getByRole("listitem", { name: `Rejection by ${releaser.name}` })).toContainText("No load test");
  await shot(release, "change-rejected.png");

  // The requester reopens it as a draft to address the reason.
  await ops.reload();
  await expect(statusOf(ops)).toContainText("Rejected");
  await expect(ops.getByRole("link", { name: "Edit" })).toHaveCount(0);
  await ops.getByRole("button", { name: "Reopen as draft" }).click();
  await ops.getByRole("group", { name: "Reopen as draft" }).getByRole("button", { name: "Reopen" }).click();
  await expect(statusOf(ops)).toContainText("Draft");
  await expect(ops.getByRole("link", { name: "Edit" })).toBeVisible();
  await expect(ops.getByRole("region", { name: "Activity" })).toContainText("reopened the change as a draft");
});

test("a stakeholder not named on a change can neither sign its UAT nor approve it", async ({ browser }) => {
  test.setTimeout(150_000);
  const operator = createAccount("OPERATOR", "Omar Named");
  const named = createAccount("STAKEHOLDER", "Nora Named");
  const outsider = createAccount("STAKEHOLDER", "Oscar Outsider");
  const ops = await pageFor(browser, operator);
  const number = await raiseChange(ops, { title: `Named only ${Date.now()}`, risk: "Low risk", stakeholders: [named.name] });
  await submitForApproval(ops);

  const page = await pageFor(browser, outsider);
  await page.goto(`/changes/${number}`);
  await expect(page.getByRole("listitem", { name: `UAT by ${named.name}` })).toContainText("Waiting");
  await expect(page.getByRole("form", { name: "Your UAT sign-off" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Approve…" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Approvals" })).toContainText(
    "Only the stakeholders named on this change can approve or reject it.",
  );

  // The named one can.
  const insider = await pageFor(browser, named);
  await insider.goto(`/changes/${number}`);
  await expect(insider.getByRole("form", { name: "Your UAT sign-off" })).toBeVisible();
});
