/**
 * Creates change requests for the change-list specs in the e2e database, straight through Prisma
 * (the list only reads them): two new services named after `tag`, and the given changes requested
 * by a demo user, numbered from the same counter the portal uses. Prints `{ changes: [...] }`.
 *
 *   change-list-seed-cli.ts '<json: { tag, requester, changes: [{ title, status, type, risk, other?, day, rejection? }] }>'
 * `rejection`: a REJECTED decision with that comment by release@demo.local (what the dashboard quotes).
 */
import { db } from "../../lib/db/client.ts";
import { databaseUrl, providerOf, sqliteFilePath } from "../../lib/db/url.ts";

type Input = {
  tag: string;
  requester: string;
  changes: { title: string; status: string; type: string; risk: string; other?: boolean; day: number; rejection?: string }[];
};

const url = databaseUrl();
const local = providerOf(url) === "sqlite" ? /e2e[^/]*\.db$/.test(sqliteFilePath(url)) : /@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url);
if (!local) throw new Error("refusing to seed a database that is not the local end-to-end one");

const input = JSON.parse(process.argv[2] ?? "{}") as Input;

try {
  // Read before the transaction, so its first statement is a write (as deployments-seed-cli.ts does):
  // the portal's health worker writes every second, and a transaction that reads first then fails to
  // upgrade to SQLite's write lock (SQLITE_BUSY, seen in CI) instead of queueing for it.
  const requester = await db.user.findUniqueOrThrow({ where: { email: input.requester }, select: { id: true } });
  const out = await db.$transaction(async (tx) => {
    const main = await tx.service.create({ data: { name: `list-${input.tag}`, environment: "PRODUCTION", ownerTeam: "E2E", tier: 2 } });
    const other = await tx.service.create({ data: { name: `other-${input.tag}`, environment: "STAGING", ownerTeam: "E2E", tier: 3 } });
    const counter = await tx.counter.upsert({
      where: { name: "change" },
      create: { name: "change", value: input.changes.length },
      update: { value: { increment: input.changes.length } },
    });
    const firstNumber = counter.value - input.changes.length + 1;
    const created = [];
    for (const [i, c] of input.changes.entries()) {
      const plannedStart = new Date(Date.UTC(2027, 0, c.day, 9));
      const row = await tx.changeRequest.create({
        data: {
          number: firstNumber + i,
          title: c.title,
          serviceId: c.other ? other.id : main.id,
          type: c.type as "NORMAL",
          risk: c.risk as "LOW",
          status: c.status as "DRAFT",
          plannedStart,
          plannedEnd: new Date(plannedStart.getTime() + 2 * 3_600_000),
          requesterId: requester.id,
        },
        select: { id: true, number: true, title: true },
      });
      if (c.rejection) {
        const release = await tx.user.findUniqueOrThrow({ where: { email: "release@demo.local" }, select: { id: true } });
        await tx.changeApproval.create({
          data: { changeId: row.id, userId: release.id, decision: "REJECTED", comment: c.rejection, digest: "seeded", snapshot: "{}" },
        });
      }
      created.push({ number: row.number, title: row.title, reference: `CHG-${String(row.number).padStart(6, "0")}` });
    }
    return { services: { main: main.id, other: other.id }, changes: created };
  });
  console.log(JSON.stringify(out));
} finally {
  await db.$disconnect();
}
