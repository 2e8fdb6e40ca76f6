import { expect, test, type Page } from "@playwright/test";
import { createAccount, createApiTokenFor, signInAs } from "../support/accounts";
import { freshCode, signIn } from "../support/auth";
import { shot, statusOf } from "../changes/helpers";

// The demo seed's approved change with a complete checklist (lib/demo/seed-changes.ts): its window
// covers the present and its service (orders-service) has a COMMAND target on the demo backends
// that the e2e server starts (lib/demo/backends.ts), so it can really be deployed.
const READY = "CHG-000007";
const READY_TITLE = "Invoice PDF renderer 2.0";

async function confirmStepUp(page: Page, email: string): Promise<void> {
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Authentication code").fill(await freshCode(email));
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
}

// One demo change: the viewer looks at it while it is still approved, then the release manager deploys it.
test.describe.configure({ mode: "serial" });

test("a viewer sees no deploy button on the approved change, and the API refuses their token", async ({ page, request }) => {
  const viewer = createAccount("VIEWER", "Vera Viewer");
  const token = createApiTokenFor(viewer);
  const refused = await request.post("/api/v1/deployments", {
    headers: { authorization: `Bearer ${token}`, "idempotency-key": `viewer-${Date.now()}` },
    data: { change: READY },
  });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });

  await signInAs(page, viewer);
  await page.goto(`/changes/${READY}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(READY_TITLE);
  // Still approved (this file runs in order: the release manager deploys it next), yet no button.
  await expect(statusOf(page)).toContainText("Approved");
  await expect(page.getByRole("button", { name: "Deploy", exact: true })).toHaveCount(0);

  // History has something to show from the start: the closed demo change's recorded deployment.
  await page.goto("/deployments/DEP-000001");
  await expect(page.getByRole("status", { name: "Deployment status" })).toHaveText("Succeeded");
  const steps = page.getByRole("list", { name: "Deployment steps" }).getByRole("listitem");
  await expect(steps).toHaveCount(6);
  for (const step of await steps.all()) await expect(step).toContainText("Succeeded");
  await shot(page, "deployment-demo-history.png");
});

test("the release manager deploys the approved demo change from the browser with step-up and watches every step succeed", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, "release@demo.local");
  await page.goto(`/changes/${READY}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(READY_TITLE);
  await expect(statusOf(page)).toContainText("Approved");

  // Every gate is listed, and every one passed (step-up is the one still to come: the dialog after the click).
  await expect(page.getByRole("heading", { name: "Gates: every gate is met" })).toBeVisible();
  const gates = page.getByRole("list", { name: "Deployment gates" }).getByRole("listitem");
  await expect(gates).toHaveCount(8);
  for (const gate of await gates.all()) await expect(gate).toContainText(/: ok|Step-up: asked when you deploy/);
  await shot(page, "deploy-change-gates.png");

  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await confirmStepUp(page, "release@demo.local");

  // The deployment page, polling while it runs: each step ends Succeeded (~10-15 s on the demo target).
  await page.waitForURL(/\/deployments\/DEP-\d{6}$/, { timeout: 30_000 });
  const steps = page.getByRole("list", { name: "Deployment steps" });
  await expect(steps.getByRole("listitem")).toHaveCount(6);
  await shot(page, "deployment-running.png");
  const names = ["Preflight checks", "Deploy to the idle colour", "Health check the idle colour", "Switch traffic", "Monitoring validation", "Done"];
  for (const [i, name] of names.entries()) {
    const step = steps.getByRole("listitem").nth(i);
    await expect(step).toContainText(name);
    await expect(step).toContainText("Succeeded", { timeout: 60_000 });
  }
  await expect(page.getByRole("status", { name: "Deployment status" })).toHaveText("Succeeded");
  await expect(page.getByRole("progressbar", { name: "Deployment progress" })).toHaveAttribute("aria-valuenow", "6");
  await shot(page, "deployment-succeeded.png");

  // The change is Deployed, and the review form starts from what the deployment recorded.
  await page.goto(`/changes/${READY}`);
  await expect(statusOf(page)).toContainText("Deployed");
  await page.getByRole("button", { name: "Close with review…" }).click();
  const review = page.getByRole("form", { name: "Post-implementation review" });
  await expect(review.getByLabel("Service verification")).toHaveValue(/health checks of (blue|green).*passed/);
  await expect(review.getByLabel("Service verification")).toHaveValue(/Live colour read back from the target afterwards: (blue|green)/);
  await expect(review.getByLabel("Performance validation")).toHaveValue(/error rate .*%.*p95 latency \d+ ms .*within thresholds/);
  await expect(review.getByLabel("Security confirmation")).toHaveValue(/Security scan passed/);
  await expect(review.getByLabel("Documentation update")).toHaveValue(/runbooks\/orders-service/);
  await shot(page, "change-deployed-review-drafted.png");
});
