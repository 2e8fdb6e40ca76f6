import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth";
import { shot, statusOf } from "./helpers";

// The demo seed (lib/demo/seed-changes.ts) raises CHG-000001..010 through the real lifecycle, one
// per interesting state, before any spec runs.
test("every demo change's page renders its state, from draft to closed with its review", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "auditor@demo.local");
  const seen = new Set<string>();
  for (let n = 1; n <= 10; n++) {
    const number = `CHG-${String(n).padStart(6, "0")}`;
    const response = await page.goto(`/changes/${number}`);
    expect(response?.status(), number).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    seen.add(((await statusOf(page).locator("span").first().textContent()) ?? "").trim());
    // An auditor reads everything and changes nothing: no action, evidence or decision controls.
    await expect(page.getByRole("button", { name: /Submit for approval|Approve…|Reject…|Record evidence|Schedule|Cancel change/ })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Add a comment" })).toHaveCount(0);
    await shot(page, `change-demo-${number}.png`);
  }
  for (const status of ["Draft", "Submitted", "Approved", "Scheduled", "Rejected", "Cancelled", "Closed"]) expect(seen).toContain(status);

  const closed = page.getByRole("region", { name: "Reviews" });
  await page.goto("/changes/CHG-000001");
  await expect(closed).toContainText("Post-implementation review");
  await expect(closed).toContainText("Smoke tests and synthetic payments green");

  // The emergency one on a phone, in dark mode: flags and panels stack in one column.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/changes/CHG-000010");
  await expect(statusOf(page)).toContainText("Retrospective due");
  await shot(page, "change-demo-emergency-phone-dark.png", "dark");
});
