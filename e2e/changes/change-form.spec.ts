import { expect, test } from "@playwright/test";
import { createAccount, signInAs } from "../support/accounts";
import { inDays, shot } from "./helpers";


test("the change form says what to fix, and keeps what was typed", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, createAccount("OPERATOR", "Fern Former"));
  await page.goto("/changes/new");
  const form = page.getByRole("form", { name: "Raise a change request" });
  await expect(form.getByLabel("Type")).toHaveValue("NORMAL");
  await shot(page, "change-new.png");

  await form.getByLabel("Service").selectOption({ label: "orders-service (production)" });
  await form.getByLabel("Type").selectOption({ label: "Standard" });
  await form.getByLabel("Risk", { exact: true }).selectOption({ label: "High risk" });
  await form.getByLabel("Rollback plan").fill("Redeploy the previous image.");
  await form.getByLabel("Planned start (UTC)").fill(inDays(3, 12));
  await form.getByLabel("Planned end (UTC)").fill(inDays(3, 11));
  await form.getByRole("button", { name: "Create draft" }).click();

  await expect(form.getByRole("alert").first()).toBeVisible();
  await expect(form.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Title")).toBeFocused();
  await expect(form.getByText("Enter a title.")).toBeVisible();
  await expect(form.getByText("The planned end must be after the planned start.")).toBeVisible();
  await expect(form.getByText(/A standard change must be low risk/)).toBeVisible();
  // Nothing typed is lost.
  await expect(form.getByLabel("Rollback plan")).toHaveValue("Redeploy the previous image.");
  await expect(form.getByLabel("Planned start (UTC)")).toHaveValue(inDays(3, 12));
  await expect(form.getByLabel("Risk", { exact: true })).toHaveValue("HIGH");
  await expect(page).toHaveURL(/\/changes\/new$/);
  await shot(page, "change-new-errors.png");
  await shot(page, "change-new-errors-dark.png", "dark");

  // Change pages are addressed by number; unknown or malformed numbers are a 404.
  expect((await page.goto("/changes/CHG-999999"))?.status()).toBe(404);
  expect((await page.goto("/changes/not-a-number"))?.status()).toBe(404);
});
