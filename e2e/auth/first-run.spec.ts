import { expect, test } from "@playwright/test";
import { generate } from "otplib";
import { expectSignedIn, readSetupKey, confirmEnrolment, saveCodesAndContinue } from "../support/mfa";
import { spawnServer, type SpawnedServer } from "../support/spawn-server";

// Its own server on an empty database (the suite's server has demo users, so first run is over).
const PORT = Number(process.env.E2E_PORT ?? 3210) + 40;
let server: SpawnedServer | undefined;

test.afterAll(async () => {
  server?.process.kill("SIGTERM");
  await server?.exited;
});

test("on an empty database the logged one-time link creates the first admin, then /setup is gone", async ({ page }) => {
  test.setTimeout(240_000); // starts its own server, then a whole first run
  server = await spawnServer(PORT);
  const logged = server
    .output()
    .split("\n")
    .filter((line) => line.includes("setupUrl"))
    .map((line) => JSON.parse(line) as { level: number; setupUrl: string });
  expect(logged).toHaveLength(1);
  expect(logged[0]?.level).toBe(40); // pino's warn
  const setupUrl = logged[0]?.setupUrl ?? "";
  expect(setupUrl).toMatch(new RegExp(`^http://localhost:${PORT}/setup/[A-Za-z0-9_-]{43}$`));
  const token = setupUrl.split("/").at(-1) as string;

  // The sign-in page points the way; /setup itself asks for the token (pasted from the log).
  await page.goto(`${server.url}/sign-in`);
  await page.screenshot({ path: "test-results/screens/sign-in-first-run.png", fullPage: true });
  await page.getByRole("link", { name: "set up the first administrator" }).click();
  await expect(page.getByRole("heading", { name: "Create the first administrator" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/first-run.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/screens/first-run-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  await page.getByLabel("Setup token").fill("not-the-token");
  await page.getByLabel("Your name").fill("Frida First");
  await page.getByLabel("Email").fill("frida@example.test");
  await page.getByLabel("Password", { exact: true }).fill("a long and unusual passphrase");
  await page.getByLabel("Repeat the password").fill("a long and unusual passphrase");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("form", { name: "Create the first administrator" }).getByRole("alert")).toContainText(
    "That setup token is not valid",
  );
  await page.getByLabel("Setup token").fill(token);
  await page.getByRole("button", { name: "Continue" }).click();

  const key = await readSetupKey(page);
  await confirmEnrolment(page, await generate({ secret: key }));
  await saveCodesAndContinue(page);
  await expectSignedIn(page);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toBeVisible();

  for (const path of ["/setup", `/setup/${token}`]) {
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.status(), path).toBe(404);
  }
});
