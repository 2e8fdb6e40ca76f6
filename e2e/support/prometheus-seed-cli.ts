/**
 * A service of its own for the Prometheus spec (e2e/health/infrastructure.spec.ts), so its
 * selectors and panels touch no other spec's data:
 *
 *   tsx e2e/support/prometheus-seed-cli.ts service <name>     prints {"id": "…"}
 *
 * DATABASE_URL names the database; like scripts/e2e-server.ts it refuses anything not disposable.
 */
import { createDb } from "../../lib/db/client.ts";
import { databaseUrl, providerOf, sqliteFilePath } from "../../lib/db/url.ts";

const url = databaseUrl();
if (providerOf(url) === "sqlite" ? !/e2e[^/]*\.db$/.test(sqliteFilePath(url)) : !/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
  throw new Error("refusing to seed a database that is not a local e2e database");
}

const [command, name = ""] = process.argv.slice(2);
const db = createDb(url);
try {
  if (command !== "service" || !name) throw new Error("usage: prometheus-seed-cli.ts service <name>");
  const service = await db.service.create({
    data: { name, environment: "PRODUCTION", ownerTeam: "Platform", tier: 2, description: "Seeded for the Prometheus end-to-end spec" },
    select: { id: true },
  });
  process.stdout.write(`${JSON.stringify(service)}\n`);
} finally {
  await db.$disconnect();
}
