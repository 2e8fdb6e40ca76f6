import { expect, test, type Browser, type Page } from "@playwright/test";
import { freshCode, signIn } from "../support/auth";
import { approve, checklistItem, raiseChange, shot, statusOf, submitForApproval } from "./helpers";


async function as(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  return page;
}

async function confirmStepUp(page: Page, email: string): Promise<void> {
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Authentication code").fill(await freshCode(email));
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
}

async function recordEvidence(page: Page, label: string, fill: (form: ReturnType<Page["getByRole"]>) => Promise<void>) {
  await checklistItem(page, label).getByRole("button", { name: /Record evidence/ }).click();
  const form = page.getByRole("form", { name: `Record ${label.toLowerCase()} evidence` });
  await fill(form);
  await form.getByRole("button", { name: "Save evidence" }).click();
  await expect(checklistItem(page, label)).toContainText("Complete");
}

test("a normal medium-risk change collects its evidence, the stakeholder's UAT and approval, and a release manager's approval", async ({ browser }) => {
  test.setTimeout(300_000);
  const title = `Order search index ${Date.now()}`;

  // The operator raises it, naming the stakeholder, and attaches the checklist evidence.
  const ops = await as(browser, "ops@demo.local");
  const number = await raiseChange(ops, { title, risk: "Medium risk", stakeholders: ["Sam Stakeholder"] });
  await expect(statusOf(ops)).toContainText("Draft");
  await expect(ops.getByRole("region", { name: "Summary" })).toContainText("Sam Stakeholder");
  await shot(ops, "change-draft.png");

  // The scan report is uploaded as a file; it is then offered for download through the portal.
  await recordEvidence(ops, "Security scan", async (form) => {
    await form.getByLabel("Summary").fill("0 critical, 0 high findings");
    await form.getByLabel(/Report file/).setInputFiles({
      name: "scan-report.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify({ tool: "trivy", critical: 0, high: 0 })),
    });
  });
  const report = checklistItem(ops, "Security scan").getByRole("link", { name: /scan-report\.json/ });
  await expect(report).toBeVisible();
  const download = await ops.request.get((await report.getAttribute("href")) ?? "");
  expect(download.status()).toBe(200);
  expect(await download.json()).toEqual({ tool: "trivy", critical: 0, high: 0 });
  await recordEvidence(ops, "Performance test results", async (form) => {
    await form.getByLabel("Results summary").fill("p95 180 ms at 400 rps, no errors");
    await form.getByLabel("Report link").fill("https://ci.example.test/perf/982");
  });
  await recordEvidence(ops, "Backup verification", async (form) => {
    await form.getByLabel("Backup taken at (UTC)").fill(new Date(Date.now() - 3_600_000).toISOString().slice(0, 16));
    await form.getByLabel("Link to the verified backup").fill("https://backups.example.test/orders/2026-11-27");
  });
  await submitForApproval(ops);
  await expect(ops.getByRole("button", { name: "Approve…" })).toHaveCount(0);
  const comment = ops.getByRole("form", { name: "Add a comment" });
  await comment.getByLabel("Comment").fill("@release the index build takes ~4 minutes on production data.");
  await comment.getByRole("button", { name: "Post comment" }).click();
  const activity = ops.getByRole("region", { name: "Activity" });
  await expect(activity.getByRole("listitem").filter({ hasText: "the index build takes" })).toContainText("Notified: Rita Release");

  // The named stakeholder signs off UAT, then approves with a fresh authenticator code.
  const stakeholder = await as(browser, "stakeholder@demo.local");
  await stakeholder.goto(`/changes/${number}`);
  const uat = stakeholder.getByRole("form", { name: "Your UAT sign-off" });
  await uat.getByLabel("Passed").check();
  await uat.getByLabel("UAT notes").fill("Searched 40 orders by customer and date; all found in under a second.");
  await uat.getByRole("button", { name: "Record UAT sign-off" }).click();
  await expect(stakeholder.getByRole("listitem", { name: "UAT by Sam Stakeholder" })).toContainText("Passed");
  await approve(stakeholder, "Tested in UAT.");
  await confirmStepUp(stakeholder, "stakeholder@demo.local");
  await expect(stakeholder.getByRole("listitem", { name: "Approval by Sam Stakeholder" })).toBeVisible();
  await expect(stakeholder.getByRole("status").filter({ hasText: "Your approval is recorded." })).toBeVisible();
  await expect(stakeholder.getByRole("form", { name: "Approve this change" })).toHaveCount(0);
  await expect(statusOf(stakeholder)).toContainText("Submitted");
  await shot(stakeholder, "change-submitted-one-approval.png");

  // The release manager gives the second approval, also with step-up.
  const release = await as(browser, "release@demo.local");
  await release.goto(`/changes/${number}`);
  await approve(release);
  await confirmStepUp(release, "release@demo.local");
  await expect(statusOf(release)).toContainText("Approved");

  const checklist = release.getByRole("region", { name: "Pre-deployment checklist" });
  await expect(checklist).toContainText("5 of 5 complete");
  for (const item of ["Security scan", "Performance test results", "UAT sign-off", "Backup verification", "Rollback plan"]) {
    await expect(checklistItem(release, item)).toContainText("Complete");
  }
  const approvals = release.getByRole("region", { name: "Approvals" });
  await expect(approvals.getByRole("listitem", { name: "Approval by Rita Release" })).toBeVisible();
  await expect(approvals.getByRole("listitem", { name: "Approval by Sam Stakeholder" })).toBeVisible();
  await expect(release.getByRole("region", { name: "Activity" })).toContainText("Rita Release approved the change; it is now approved");
  await shot(release, "change-approved.png");
  await shot(release, "change-approved-dark.png", "dark");
});
