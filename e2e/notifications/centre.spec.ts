import { expect, test } from "@playwright/test";
import { seedUser, signInAs } from "../support/audit-seed";
import { seedNotifications } from "../support/notifications-seed";

test("the header counts unread notifications; opening one and marking all read bring the count down", async ({ page }) => {
  // A fresh person of their own, so no other spec's notifications change the counts.
  const user = await seedUser("OPERATOR");
  await seedNotifications(user.email, [
    { title: "Welcome to the notification centre", body: "Changes that need you appear here." },
    { title: "CHG-000041 was approved", body: "Approved by Rita Release.", link: "/account/sessions" },
    { title: "CHG-000042 needs your approval", body: "Database upgrade on billing-api, medium risk.", link: "/changes" },
  ]);

  await signInAs(page, user);
  const bell = page.getByRole("link", { name: "Notifications, 3 unread" });
  await expect(bell).toBeVisible();

  await bell.click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const list = page.getByRole("region", { name: "Your notifications" }).getByRole("listitem");
  await expect(list).toHaveCount(3);
  // Newest first, every one unread.
  await expect(list.first()).toContainText("CHG-000042 needs your approval");
  await expect(list.first()).toContainText("Unread:");
  await expect(list.last()).toContainText("Welcome to the notification centre");

  // Opening a notification marks it read and goes where it points.
  await page.getByRole("link", { name: "CHG-000042 needs your approval" }).click();
  await expect(page).toHaveURL(/\/changes$/);
  await expect(page.getByRole("link", { name: "Notifications, 2 unread" })).toBeVisible();

  await page.getByRole("link", { name: "Notifications, 2 unread" }).click();
  await expect(list.first()).not.toContainText("Unread:");
  await expect(list.nth(1)).toContainText("Unread:");
  await expect(page.getByText("2 unread.")).toBeVisible();

  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByRole("link", { name: "Notifications, none unread" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Mark all as read" })).toBeHidden();
  await expect(page.getByText("Unread:")).toHaveCount(0);

  // Something new arrives: the count the browser polls and the server-rendered count agree.
  await seedNotifications(user.email, [{ title: "CHG-000043 was rejected", link: "/changes" }]);
  expect(await (await page.request.get("/api/notifications/unread")).json()).toEqual({ unread: 1 });
  await page.reload();
  await expect(page.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible();
});

test("a person sees only their own notifications, and the count catches up without a reload", async ({ page }) => {
  test.setTimeout(90_000);
  const [me, other] = await Promise.all([seedUser("VIEWER"), seedUser("VIEWER")]);
  await seedNotifications(other.email, [{ title: "Only for the other person" }]);
  await signInAs(page, me);
  await expect(page.getByRole("link", { name: "Notifications, none unread" })).toBeVisible();
  await page.goto("/notifications");
  await expect(page.getByText("No notifications yet.")).toBeVisible();
  await expect(page.getByText("Only for the other person")).toHaveCount(0);

  // The bell polls (every 30 s, and when the tab becomes visible again once the count is 15 s old).
  await seedNotifications(me.email, [{ title: "CHG-000044 needs your UAT sign-off", link: "/changes" }]);
  await expect(async () => {
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await expect(page.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 40_000, intervals: [2000] });
});
