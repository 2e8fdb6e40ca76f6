/**
 * Run by e2e/support/changes-seed.ts through tsx: a fresh production service with SCHEDULED changes
 * in the given windows (and optionally freeze windows), in the e2e database, numbered from the same Counter row the
 * portal uses (so they never collide with changes the app creates). Input: one JSON argument;
 * output: one JSON line.
 */
import { recordAudit } from "../../lib/audit/record.ts";
import { createDb } from "../../lib/db/client.ts";
import { providerOf, sqliteFilePath } from "../../lib/db/url.ts";

type Input = {
  serviceName: string;
  requesterEmail: string;
  windows: { title: string; start: string; end: string }[];
  /** Freeze windows created by release@demo.local. */
  freezes?: { start: string; end: string; environment: "PRODUCTION" | "STAGING" | null; reason: string }[];
};

const input = JSON.parse(process.argv[2] ?? "{}") as Input;
const url = process.env.DATABASE_URL ?? "";
// Same guard as scripts/e2e-server.ts: only ever a disposable e2e database.
if (providerOf(url) === "sqlite" ? !/e2e[^/]*\.db$/.test(sqliteFilePath(url)) : !/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
  throw new Error(`refusing to seed ${url}: not an e2e database`);
}
const db = createDb(url);
const actor = { id: null, label: "e2e seed" };
const context = { ip: "127.0.0.1", userAgent: "e2e seed" };

// Read before the transaction, so its first statement is a write (as deployments-seed-cli.ts does):
// the portal's health worker writes every second, and a transaction that reads first then fails to
// upgrade to SQLite's write lock (SQLITE_BUSY, seen in CI) instead of queueing for it.
const requester = await db.user.findUniqueOrThrow({ where: { email: input.requesterEmail }, select: { id: true } });

const result = await db.$transaction(async (tx) => {
  const service = await tx.service.create({
    data: { name: input.serviceName, environment: "PRODUCTION", ownerTeam: "E2E", tier: 2 },
    select: { id: true },
  });
  await recordAudit(tx, { action: "service.created", actor, context, target: { type: "Service", id: service.id }, changes: { name: input.serviceName } });
  const numbers: number[] = [];
  for (const w of input.windows) {
    const counter = await tx.counter.upsert({
      where: { name: "change" },
      create: { name: "change", value: 1 },
      update: { value: { increment: 1 } },
    });
    const change = await tx.changeRequest.create({
      data: {
        number: counter.value,
        title: w.title,
        serviceId: service.id,
        requesterId: requester.id,
        type: "NORMAL",
        risk: "LOW",
        status: "SCHEDULED",
        plannedStart: new Date(w.start),
        plannedEnd: new Date(w.end),
        scheduledAt: new Date(),
      },
      select: { id: true, number: true },
    });
    await recordAudit(tx, { action: "change.created", actor, context, target: { type: "ChangeRequest", id: change.id }, changes: { title: w.title, seeded: true } });
    numbers.push(change.number);
  }
  const release = await tx.user.findUniqueOrThrow({ where: { email: "release@demo.local" }, select: { id: true } });
  for (const f of input.freezes ?? []) {
    const freeze = await tx.freezeWindow.create({
      data: { startsAt: new Date(f.start), endsAt: new Date(f.end), environment: f.environment, reason: f.reason, createdById: release.id },
      select: { id: true },
    });
    await recordAudit(tx, { action: "freeze.created", actor, context, target: { type: "FreezeWindow", id: freeze.id }, changes: { reason: f.reason, seeded: true } });
  }
  return { numbers };
});
await db.$disconnect();
console.log(JSON.stringify(result));
