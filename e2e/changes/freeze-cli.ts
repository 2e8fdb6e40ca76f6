/**
 * Seeds a freeze window into the e2e database for a spec (the freeze-window screens are tested on
 * their own). Run with tsx; prints the new window's id.
 *
 *   tsx e2e/changes/freeze-cli.ts '{"startsAt":"…","endsAt":"…","reason":"…","createdById":"…"}'
 */
import { createDb } from "../../lib/db/client.ts";
import { databaseUrl, providerOf, sqliteFilePath } from "../../lib/db/url.ts";

const url = databaseUrl();
if (providerOf(url) === "sqlite" ? !/e2e[^/]*\.db$/.test(sqliteFilePath(url)) : !/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
  throw new Error("refusing to seed a database that is not a local e2e database");
}

const input = JSON.parse(process.argv[2] ?? "{}") as { startsAt: string; endsAt: string; reason: string; createdById: string };
const db = createDb(url);
const freeze = await db.freezeWindow.create({
  data: {
    startsAt: new Date(input.startsAt),
    endsAt: new Date(input.endsAt),
    environment: null,
    reason: input.reason,
    createdById: input.createdById,
  },
  select: { id: true },
});
await db.$disconnect();
process.stdout.write(JSON.stringify(freeze));
