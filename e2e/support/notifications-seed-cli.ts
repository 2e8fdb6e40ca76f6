/**
 * Run by e2e/support/notifications-seed.ts through tsx: notifies one user (by email) in the e2e
 * database with the portal's own notify(), oldest first. Input: one JSON argument; output: one JSON line.
 */
import { createDb } from "../../lib/db/client.ts";
import { providerOf, sqliteFilePath } from "../../lib/db/url.ts";
import { notify, type NotificationMessage } from "../../lib/notifications/notify.ts";

type Input = { email: string; notifications: NotificationMessage[] };

const input = JSON.parse(process.argv[2] ?? "{}") as Input;
const url = process.env.DATABASE_URL ?? "";
// Same guard as scripts/e2e-server.ts: only ever a disposable e2e database.
if (providerOf(url) === "sqlite" ? !/e2e[^/]*\.db$/.test(sqliteFilePath(url)) : !/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
  throw new Error(`refusing to seed ${url}: not an e2e database`);
}
const db = createDb(url);
const user = await db.user.findUniqueOrThrow({ where: { email: input.email }, select: { id: true } });
for (const message of input.notifications) {
  await db.$transaction((tx) => notify(tx, [user.id], message));
  await new Promise((r) => setTimeout(r, 5)); // distinct times, so "newest first" is well defined
}
await db.$disconnect();
console.log(JSON.stringify({ notified: input.notifications.length }));
