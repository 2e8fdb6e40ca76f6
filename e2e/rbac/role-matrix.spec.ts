import { expect, test } from "@playwright/test";
import { can, ROLES, type Role } from "../../lib/rbac/permissions";
import { PROTECTED_PAGES } from "../../lib/rbac/protected-pages";
import { NAV_ITEMS } from "../../lib/ui/navigation";
import { signIn } from "../support/auth";

const DEMO_USER: Record<Role, string> = {
  ADMIN: "admin@demo.local",
  OPERATOR: "ops@demo.local",
  RELEASE_MANAGER: "release@demo.local",
  STAKEHOLDER: "stakeholder@demo.local",
  AUDITOR: "auditor@demo.local",
  VIEWER: "viewer@demo.local",
};

// Generated from the matrix itself: every role against every protected page and nav entry.
for (const role of ROLES) {
  test(`${role} sees exactly the pages and navigation the permission matrix grants`, async ({ page }) => {
    test.setTimeout(240_000);
    await signIn(page, DEMO_USER[role]);
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const item of NAV_ITEMS) {
      await expect(nav.getByRole("link", { name: item.label, exact: true }), `${role} nav ${item.label}`).toHaveCount(
        can(role, item.permission) ? 1 : 0,
      );
    }
    for (const { path, permission } of PROTECTED_PAGES) {
      // The browser's own cookies, without rendering every page: the server's status is the verdict
      // (403 renders app/forbidden.tsx; the shell spec checks that page as a person sees it).
      const response = await page.request.get(path);
      const allowed = can(role, permission);
      expect(response.status(), `${role} ${path} (${permission})`).toBe(allowed ? 200 : 403);
    }
  });
}
