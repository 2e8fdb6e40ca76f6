import { expect, test } from "@playwright/test";
import { confirmStepUp, seedUser, signInAs } from "../support/audit-seed";

test.describe.configure({ timeout: 90_000 });

test("a token created in the UI works against /api/v1/me until it is revoked", async ({ page, context, request }) => {
  test.setTimeout(150_000); // the longest walk: sign-in, step-up, two API calls, reload, revoke
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const operator = await seedUser("OPERATOR");
  await signInAs(page, operator);
  await page.goto("/account/tokens");

  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Name").fill("CI deploy pipeline");
  await expect(form.getByLabel("Role").locator("option")).toHaveText(["Operator", "Viewer"]);
  await form.getByLabel("Role").selectOption({ label: "Viewer" });
  await form.getByLabel("Expires after (days)").fill("30");
  await form.getByRole("button", { name: "Create token" }).click();
  await confirmStepUp(page, operator);

  const shown = page.getByRole("textbox", { name: "New API token" });
  await expect(shown).toHaveValue(/^opt_[A-Za-z0-9_-]{43}$/);
  const token = await shown.inputValue();
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await page.screenshot({ path: "test-results/screens/tokens.png", fullPage: true });

  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({
    data: { user: { email: operator.email, role: "OPERATOR" }, token: { name: "CI deploy pipeline", role: "VIEWER", prefix: token.slice(0, 12) } },
  });
  const services = await request.get("/api/v1/services", { headers: { authorization: `Bearer ${token}` } });
  expect(services.status()).toBe(200);

  // Shown once: gone after Done and never in the page again.
  await page.getByRole("button", { name: "Done" }).click();
  await page.reload();
  await expect(shown).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  const row = page.getByRole("table", { name: "API tokens" }).getByRole("row", { name: /CI deploy pipeline/ });
  await expect(row).toContainText(`${token.slice(0, 12)}…`);
  await expect(row).toContainText("Viewer");
  await expect(row).toContainText("Active");
  await expect(row).not.toContainText("Never"); // last used: just now
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screens/tokens-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  await row.getByRole("button", { name: "Revoke CI deploy pipeline" }).click();
  await row.getByRole("button", { name: "Confirm revoking CI deploy pipeline" }).click();
  await expect(row).toContainText("Revoked");

  const after = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  expect(after.headers()["www-authenticate"]).toBe('Bearer realm="ops-portal", error="invalid_token"');
  expect(await after.json()).toEqual({ error: { code: "unauthenticated", message: "The API token was revoked." } });
});

test("a token cannot be created with a role higher than the creator's, even by editing the form", async ({ page }) => {
  const operator = await seedUser("OPERATOR");
  await signInAs(page, operator);
  await page.goto("/account/tokens");
  const form = page.getByRole("form", { name: "Create an API token" });
  const role = form.getByLabel("Role");
  await expect(role.locator("option")).toHaveText(["Operator", "Viewer"]);

  // What a person with devtools could do: offer themselves Administrator.
  await role.evaluate((select: HTMLSelectElement) => select.add(new Option("Administrator", "ADMIN")));
  await role.selectOption("ADMIN");
  await form.getByLabel("Name").fill("sneaky");
  await form.getByRole("button", { name: "Create token" }).click();
  await confirmStepUp(page, operator);

  await expect(form.getByRole("alert")).toHaveText("A token cannot have more rights than you. Choose one of: Operator, Viewer.");
  await expect(page.getByRole("textbox", { name: "New API token" })).toHaveCount(0);
  await expect(page.getByRole("table", { name: "API tokens" })).toHaveCount(0);
});

test("a viewer has no API tokens page", async ({ page }) => {
  await signInAs(page, await seedUser("VIEWER"));
  const response = await page.goto("/account/tokens");
  expect(response?.status()).toBe(403);
});
