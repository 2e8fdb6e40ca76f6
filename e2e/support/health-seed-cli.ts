/**
 * Run by e2e/support/health-seed.ts through tsx: a fresh service (unique name) for a health spec,
 * optionally with one HTTP check (state UP) and one upcoming maintenance window, written as the
 * portal writes them. Input: one JSON argument; output: one JSON line.
 */
import { createDb } from "../../lib/db/client.ts";
import { providerOf, sqliteFilePath } from "../../lib/db/url.ts";

type Input = { serviceName: string; withCheck?: { name: string; url: string }; withMaintenance?: { reason: string; createdByEmail: string } };

const input = JSON.parse(process.argv[2] ?? "{}") as Input;
const url = process.env.DATABASE_URL ?? "";
// Same guard as scripts/e2e-server.ts: only ever a disposable e2e database.
if (providerOf(url) === "sqlite" ? !/e2e[^/]*\.db$/.test(sqliteFilePath(url)) : !/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
  throw new Error(`refusing to seed ${url}: not an e2e database`);
}
const db = createDb(url);
const service = await db.service.create({ data: { name: input.serviceName, environment: "STAGING", ownerTeam: "E2E", tier: 3 }, select: { id: true } });
if (input.withCheck) {
  const now = new Date();
  await db.healthCheck.create({
    data: {
      serviceId: service.id,
      name: input.withCheck.name,
      kind: "HTTP",
      url: input.withCheck.url,
      intervalSeconds: 60,
      state: { create: { status: "UP", statusSince: now, lastCheckedAt: now, lastOk: true, lastLatencyMs: 12.4, lastStatusCode: 200 } },
    },
  });
}
if (input.withMaintenance) {
  const by = await db.user.findUniqueOrThrow({ where: { email: input.withMaintenance.createdByEmail }, select: { id: true } });
  const startsAt = new Date(Date.now() + 86_400_000);
  await db.maintenanceWindow.create({
    data: { serviceId: service.id, startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3_600_000), reason: input.withMaintenance.reason, createdById: by.id },
  });
}
await db.$disconnect();
console.log(JSON.stringify({ serviceId: service.id }));
