/**
 * Run by e2e/support/deployments-seed.ts through tsx: a fresh production service with a COMMAND
 * deployment target, an APPROVED change and a DEPLOYED one, and three deployments of the latter
 * written as the runner leaves them (succeeded, rolled back, and one still running whose lease
 * is held far into the future so no runner recovers it during the spec). Numbers come from the
 * portal's own Counter rows. Input: one JSON argument; output: one JSON line.
 */
import { recordAudit } from "../../lib/audit/record.ts";
import { createDb, type DeploymentStatus, type DeploymentStepKind, type DeploymentStepStatus } from "../../lib/db/client.ts";
import { providerOf, sqliteFilePath } from "../../lib/db/url.ts";

type Input = { serviceName: string; requesterEmail: string; triggeredByEmail: string };

// `advance <number>`: the runner's next moves on a seeded running deployment (its health check
// passes, the switch starts, two log lines), for specs that watch the page follow them live.
const advance = process.argv[2] === "advance" ? Number(process.argv[3]) : null;
const input = (advance === null ? JSON.parse(process.argv[2] ?? "{}") : {}) as Input;
const url = process.env.DATABASE_URL ?? "";
// Same guard as scripts/e2e-server.ts: only ever a disposable e2e database.
if (providerOf(url) === "sqlite" ? !/e2e[^/]*\.db$/.test(sqliteFilePath(url)) : !/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(url)) {
  throw new Error(`refusing to seed ${url}: not an e2e database`);
}
const db = createDb(url);
const actor = { id: null, label: "e2e seed" };
const context = { ip: "127.0.0.1", userAgent: "e2e seed" };
const KINDS = ["PREFLIGHT", "DEPLOY", "HEALTH_CHECK", "SWITCH", "VALIDATE", "DONE"] as const satisfies readonly DeploymentStepKind[];
const SUMMARIES: Record<string, string> = {
  PREFLIGHT: "Gates hold; backup verified 3 h ago; blue is live as expected",
  DEPLOY: "Deployed to the idle colour in 4.1 s",
  HEALTH_CHECK: "3/3 health checks passed in 2.2 s",
  SWITCH: "Traffic on the new colour; read back from the target",
  VALIDATE: "Error rate 0.0 % (max 1 %), p95 38 ms (max 500 ms) over 60 s",
  DONE: "Live colour read back as expected",
};

if (advance !== null) {
  const d = await db.deployment.findUniqueOrThrow({ where: { number: advance }, select: { id: true } });
  const now = new Date();
  await db.deploymentStep.updateMany({
    where: { deploymentId: d.id, kind: "HEALTH_CHECK" },
    data: { status: "SUCCEEDED", finishedAt: now, summary: "3/3 health checks passed in 2.0 s" },
  });
  await db.deploymentStep.updateMany({ where: { deploymentId: d.id, kind: "SWITCH" }, data: { status: "RUNNING", startedAt: now } });
  await db.deploymentLog.create({ data: { deploymentId: d.id, step: "HEALTH_CHECK", message: "3/3 health checks passed" } });
  await db.deploymentLog.create({ data: { deploymentId: d.id, step: "SWITCH", message: "switching traffic to green" } });
  await db.$disconnect();
  console.log(JSON.stringify({ advanced: advance }));
  process.exit(0);
}

// Read before the transaction, so its first statement is a write: two seeds running at once then
// queue for SQLite's write lock instead of both reading and deadlocking on the upgrade.
const requester = await db.user.findUniqueOrThrow({ where: { email: input.requesterEmail }, select: { id: true } });
const trigger = await db.user.findUniqueOrThrow({ where: { email: input.triggeredByEmail }, select: { id: true } });

const result = await db.$transaction(async (tx) => {
  const service = await tx.service.create({
    data: { name: input.serviceName, environment: "PRODUCTION", ownerTeam: "E2E", tier: 2 },
    select: { id: true },
  });
  await recordAudit(tx, { action: "service.created", actor, context, target: { type: "Service", id: service.id }, changes: { name: input.serviceName } });
  const next = async (name: string) => (await tx.counter.upsert({ where: { name }, create: { name, value: 1 }, update: { value: { increment: 1 } } })).value;
  const now = Date.now();
  const change = async (title: string, status: "APPROVED" | "DEPLOYED", version: string) =>
    tx.changeRequest.create({
      data: {
        number: await next("change"),
        title,
        serviceId: service.id,
        requesterId: requester.id,
        type: "NORMAL",
        risk: "LOW",
        status,
        version,
        plannedStart: new Date(now - 3_600_000),
        plannedEnd: new Date(now + 3_600_000),
      },
      select: { id: true, number: true },
    });
  const approved = await change("Release the e2e checkout 2.2", "APPROVED", "2.2.0");
  const deployed = await change("Release the e2e checkout 2.1", "DEPLOYED", "2.1.0");

  const deployments: number[] = [];
  const deploy = async (
    status: DeploymentStatus,
    minutesAgo: number,
    steps: DeploymentStepStatus[],
    extra: { outcome?: string; rollback?: boolean; liveColour?: "BLUE" | "GREEN" | null } = {},
  ) => {
    const startedAt = new Date(now - minutesAgo * 60_000);
    const at = (s: number) => new Date(startedAt.getTime() + s * 1000);
    const number = await next("deployment");
    const running = status === "RUNNING";
    const switched = steps[3] === "SUCCEEDED" || steps[3] === "FAILED";
    const d = await tx.deployment.create({
      data: {
        number,
        changeId: deployed.id,
        serviceId: service.id,
        version: "2.1.0",
        status,
        fromColour: "BLUE",
        toColour: "GREEN",
        liveColour: running ? null : (extra.liveColour ?? null),
        triggeredById: trigger.id,
        idempotencyKey: `e2e-${number}`,
        outcome: extra.outcome ?? "",
        startedAt,
        liveAt: switched ? at(9) : null,
        finishedAt: running ? null : at(75),
        leaseOwner: running ? "e2e-seed" : null,
        leaseExpiresAt: running ? new Date(Date.UTC(2100, 0, 1)) : null,
      },
      select: { id: true },
    });
    const kinds: DeploymentStepKind[] = [...KINDS, ...(extra.rollback ? (["ROLLBACK"] as const) : [])];
    for (const [i, kind] of kinds.entries()) {
      const s = steps[i] ?? "PENDING";
      await tx.deploymentStep.create({
        data: {
          deploymentId: d.id,
          position: i + 1,
          kind,
          status: s,
          startedAt: s === "PENDING" || s === "SKIPPED" ? null : at(i * 3),
          finishedAt: s === "SUCCEEDED" || s === "FAILED" ? at(i * 3 + 2) : null,
          summary: s === "SUCCEEDED" ? (kind === "ROLLBACK" ? "Traffic back on blue; read back from the target" : SUMMARIES[kind]!) : s === "FAILED" ? "Error rate 12.5 % over 60 s (max 1 %)" : "",
        },
      });
      if (s !== "PENDING" && s !== "SKIPPED") {
        await tx.deploymentLog.create({ data: { deploymentId: d.id, at: at(i * 3), step: kind, message: `${kind.toLowerCase()} started` } });
        if (s === "FAILED") await tx.deploymentLog.create({ data: { deploymentId: d.id, at: at(i * 3 + 2), step: kind, level: "error", message: "validation failed: error rate 12.5 % > 1 %" } });
      }
    }
    await recordAudit(tx, { action: "deployment.triggered", actor, context, target: { type: "Deployment", id: d.id }, changes: { number, seeded: true } });
    deployments.push(number);
    return d.id;
  };
  const S = "SUCCEEDED";
  await deploy("ROLLED_BACK", 120, [S, S, S, S, "FAILED", "SKIPPED", S], {
    rollback: true,
    liveColour: "BLUE",
    outcome: "Monitoring validation failed (error rate 12.5 % > 1 %); traffic rolled back to blue, read back from the target.",
  });
  await deploy("SUCCEEDED", 60, [S, S, S, S, S, S], { liveColour: "GREEN", outcome: "Green is live (read back from the target)." });
  const runningId = await deploy("RUNNING", 1, [S, S, "RUNNING"]);
  await tx.deploymentTarget.create({
    data: {
      serviceId: service.id,
      driver: "COMMAND",
      blueUrl: "http://127.0.0.1:4411",
      greenUrl: "http://127.0.0.1:4412",
      driverConfig: JSON.stringify({ deployCommand: "true", switchCommand: "true", statusCommand: "echo green", timeoutMs: 30000 }),
      liveColour: "GREEN",
      liveCheckedAt: new Date(now - 10 * 60_000),
      activeDeploymentId: runningId,
    },
  });
  return { serviceId: service.id, approved: approved.number, deployed: deployed.number, deployments };
  // Specs seed in parallel, and the server writes too: wait for SQLite's write lock rather than fail.
}, { maxWait: 30_000, timeout: 60_000 });
await db.$disconnect();
console.log(JSON.stringify(result));
