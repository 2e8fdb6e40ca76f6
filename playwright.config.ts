import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);
const DATABASE_URL = process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: true,
  workers: 2,
  // A retry inside the same 30 s TOTP step would trip replay protection, correctly; tests must pass first time.
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  // A sign-in may wait up to ~40 s for a TOTP step no other test used (e2e/support/auth.ts freshCode).
  timeout: 90_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    // A fresh database per run, migrated and seeded, served by the production build.
    command: "node node_modules/tsx/dist/cli.mjs scripts/e2e-server.ts",
    url: `http://127.0.0.1:${PORT}/api/ready`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    // Every spec signs in from 127.0.0.1: the per-IP failure limits (20) would soon lock them all out.
    env: { PORT: String(PORT), DATABASE_URL, LOG_LEVEL: "warn", E2E: "1", SIGN_IN_IP_MAX_FAILURES: "1000", STEP_UP_IP_MAX_FAILURES: "1000" },
  },
});
