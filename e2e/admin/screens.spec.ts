import { expect, test } from "@playwright/test";
import { createAccount, signInAs } from "../support/accounts";

const PAGES = [
  { path: "/admin", name: "admin-users", heading: "Users" },
  { path: "/admin/users/new", name: "admin-user-new", heading: "Add a user" },
  { path: "/admin/security", name: "admin-security", heading: "IP allow-list" },
  { path: "/account/sessions", name: "account-sessions", heading: "Active sessions" },
];

test("the admin and session pages fit a phone and a desktop, in light and dark", async ({ page }) => {
  test.setTimeout(90_000);
  const admin = createAccount("ADMIN", "Screen Admin");
  const other = createAccount("RELEASE_MANAGER", "Rita Screens");
  await signInAs(page, admin);
  const pages = [...PAGES, { path: `/admin/users/${other.id}`, name: "admin-user-detail", heading: "Role" }];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const p of pages) {
        await page.goto(p.path);
        await expect(page.getByRole("heading", { name: p.heading, exact: true })).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${p.path} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `test-results/screens/${p.name}-${width}-${scheme}.png`, fullPage: true });
      }
    }
  }
});
