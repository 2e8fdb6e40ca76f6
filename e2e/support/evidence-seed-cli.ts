/**
 * Gives the evidence-file spec a change to attach files to and an OPERATOR API token of
 * ops@demo.local, in the e2e database. Prints one line of JSON: { number, otherNumber, token }.
 * (The change-request UI and API are built elsewhere; this writes the rows directly.)
 */
import { createApiToken } from "../../lib/api-tokens/service.ts";
import { db } from "../../lib/db/client.ts";
import { databaseUrl, providerOf, sqliteFilePath } from "../../lib/db/url.ts";

const url = databaseUrl();
const local = providerOf(url) === "sqlite" ? /e2e[^/]*\.db$/.test(sqliteFilePath(url)) : /@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url);
if (!local) throw new Error("refusing to seed a database that is not the local end-to-end one");

const ops = await db.user.findUniqueOrThrow({ where: { email: "ops@demo.local" } });
const service = await db.service.create({ data: { name: `evidence-e2e-${Date.now()}`, environment: "STAGING", ownerTeam: "QA", tier: 3 } });
const last = await db.changeRequest.aggregate({ _max: { number: true } });
const base = Math.max(last._max.number ?? 0, 900_000) + 1;
const numbers: number[] = [];
for (const number of [base, base + 1]) {
  await db.changeRequest.create({
    data: {
      number,
      title: "Evidence upload e2e",
      serviceId: service.id,
      type: "NORMAL",
      risk: "LOW",
      plannedStart: new Date(Date.now() + 86_400_000),
      plannedEnd: new Date(Date.now() + 90_000_000),
      requesterId: ops.id,
    },
  });
  numbers.push(number);
}
const { token } = await createApiToken(
  { id: ops.id, email: ops.email, role: ops.role },
  { name: "evidence e2e", role: "OPERATOR", expiresInDays: 1 },
  { ip: "", userAgent: "e2e/support/evidence-seed-cli.ts" },
);
await db.$disconnect();
console.log(JSON.stringify({ number: numbers[0], otherNumber: numbers[1], token }));
