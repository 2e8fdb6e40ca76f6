import { expect, test, type Browser } from "@playwright/test";
import { createAccount, signInAs, type Account } from "../support/accounts";

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

/** The same person signed in twice: a Chrome on Linux and a Firefox on Windows. */
async function twoBrowsers(browser: Browser, account: Account) {
  const laptop = await browser.newContext({
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
  });
  const other = await browser.newContext({ userAgent: FIREFOX });
  const a = await laptop.newPage();
  const b = await other.newPage();
  await signInAs(a, account);
  await signInAs(b, account); // waits for the next TOTP step: a code is accepted once
  return { a, b, close: async () => Promise.all([laptop.close(), other.close()]) };
}

test("revoking another session from My sessions signs that browser out on its next click", async ({ browser }) => {
  test.setTimeout(90_000);
  const account = createAccount("OPERATOR", "Omar Twice");
  const { a, b, close } = await twoBrowsers(browser, account);

  await a.getByRole("button", { name: /Account menu/ }).click();
  await a.getByRole("link", { name: "Your account" }).click();
  const table = a.getByRole("table", { name: "Your active sessions" });
  await expect(table.getByRole("row")).toHaveCount(3); // header + two sessions
  await expect(table.getByRole("row", { name: /Chrome 156 on Linux/ })).toContainText("This session");
  const firefoxRow = table.getByRole("row", { name: /Firefox 128 on Windows/ });
  await expect(firefoxRow).toContainText("127.0.0.1");
  await a.screenshot({ path: "test-results/screens/account-sessions.png", fullPage: true });

  await firefoxRow.getByRole("button", { name: /Revoke Firefox 128 on Windows/ }).click();
  await expect(a.getByRole("status").filter({ hasText: "Signed out Firefox 128 on Windows." })).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(a.getByText("This is your only session.")).toBeVisible();

  await b.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Changes" }).click();
  await expect(b).toHaveURL(/\/sign-in/);
  // The browser that did the revoking is unaffected.
  await a.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Changes" }).click();
  await expect(a.getByRole("heading", { name: "Changes", level: 1 })).toBeVisible();
  await close();
});

test("after 'sign out all other sessions', the other browser's next server action sends it to sign-in", async ({ browser }) => {
  test.setTimeout(90_000);
  const account = createAccount("VIEWER", "Vera Twice");
  const { a, b, close } = await twoBrowsers(browser, account);
  await a.goto("/account/sessions");
  await b.goto("/account/sessions");

  await a.getByRole("button", { name: "Sign out all other sessions" }).click();
  await a.getByRole("button", { name: "Sign out others" }).click();
  await expect(a.getByRole("status").filter({ hasText: "Signed out 1 other session." })).toBeVisible();

  // The revoked browser still shows the page it loaded earlier; its next action is refused.
  await b.getByRole("table", { name: "Your active sessions" }).getByRole("button", { name: /Revoke Chrome 156 on Linux/ }).click();
  await expect(b).toHaveURL(/\/sign-in/);
  await a.reload();
  await expect(a.getByRole("table", { name: "Your active sessions" }).getByRole("row")).toHaveCount(2);
  await close();
});
