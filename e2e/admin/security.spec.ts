import { expect, test } from "@playwright/test";
import { confirmStepUp, createAccount, signInAs } from "../support/accounts";

test("the allow-list refuses a change that would lock out the admin, naming their IP, and accepts one that includes it", async ({ page }) => {
  test.setTimeout(150_000);
  const admin = createAccount("ADMIN", "Sec Admin");
  await signInAs(page, admin);
  await page.goto("/admin/security");
  await expect(page.getByText("The list is empty: every address may connect.")).toBeVisible();

  const add = page.getByRole("form", { name: "Add to the allow-list" });
  await add.getByLabel("Address or CIDR range").fill("10.0.0.0/8");
  await add.getByLabel("Label (optional)").fill("VPN");
  await add.getByRole("button", { name: "Add range" }).click();
  await confirmStepUp(page, admin);
  await expect(add.getByRole("alert")).toHaveText(
    "Not saved: this would lock you out. Your IP address, 127.0.0.1, is not inside any range on the list. Add a range that includes 127.0.0.1 first.",
  );
  await expect(add.getByLabel("Address or CIDR range")).toHaveValue("10.0.0.0/8");

  await add.getByLabel("Address or CIDR range").fill("office wifi");
  await add.getByRole("button", { name: "Add range" }).click();
  await expect(add.getByRole("alert")).toContainText('"office wifi" is not an IP address or CIDR range');
  await expect(add.getByLabel("Address or CIDR range")).toHaveAttribute("aria-invalid", "true");

  const allowed = page.getByRole("list", { name: "Allowed ranges" });
  try {
    await add.getByLabel("Address or CIDR range").fill("127.0.0.1");
    await add.getByLabel("Label (optional)").fill("This machine");
    await add.getByRole("button", { name: "Add range" }).click();
    await expect(add.getByRole("status")).toHaveText("Added 127.0.0.1/32 to the allow-list.");
    await expect(allowed).toContainText("127.0.0.1/32");
    await expect(page.getByText(/sees your address as 127\.0\.0\.1, which is on the list/)).toBeVisible();
    await expect(add.getByLabel("Address or CIDR range")).toHaveValue("");

    await add.getByLabel("Address or CIDR range").fill("10.9.8.7/8");
    await add.getByRole("button", { name: "Add range" }).click();
    await expect(add.getByRole("status")).toHaveText("Added 10.0.0.0/8 to the allow-list.");
    await page.screenshot({ path: "test-results/screens/admin-security-allowlist.png", fullPage: true });

    // Removing the range the admin connects from, while another remains, would lock them out.
    await allowed.getByRole("button", { name: "Remove 127.0.0.1/32" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Not saved: this would lock you out" })).toBeVisible();
    await expect(allowed).toContainText("127.0.0.1/32");
  } finally {
    // Leave the shared server's list empty, as found.
    for (const cidr of ["10.0.0.0/8", "127.0.0.1/32"]) {
      const remove = allowed.getByRole("button", { name: `Remove ${cidr}` });
      if (await remove.count()) {
        await remove.click();
        await expect(remove).toHaveCount(0);
      }
    }
  }
  await expect(page.getByText("The list is empty: every address may connect.")).toBeVisible();
});

test("the session policy form explains out-of-range values and keeps what was typed", async ({ page }) => {
  test.setTimeout(90_000);
  const admin = createAccount("ADMIN", "Pol Admin");
  await signInAs(page, admin);
  await page.goto("/admin/security");
  const form = page.getByRole("form", { name: "Session policy" });
  await form.getByLabel("Idle timeout (minutes)").fill("0");
  await form.getByLabel("Step-up window (minutes)").fill("90");
  await page.setViewportSize({ width: 390, height: 800 });
  await page.emulateMedia({ colorScheme: "dark" });
  await form.getByRole("button", { name: "Save session policy" }).click();
  await expect(page.getByRole("dialog", { name: "Confirm it is you" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/step-up-dialog-phone-dark.png" });
  await confirmStepUp(page, admin);
  await expect(form.getByRole("alert")).toHaveText("Please correct the highlighted fields.");
  await expect(form.getByText("Idle timeout must be at least 1 minute.")).toBeVisible();
  await expect(form.getByText("The step-up window can be at most 60 minutes.")).toBeVisible();
  await expect(form.getByLabel("Idle timeout (minutes)")).toHaveValue("0");
});
