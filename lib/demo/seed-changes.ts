import { recordAudit } from "../audit/record.ts";
import { digestOf, parseSnapshot } from "../changes/digest.ts";
import { ZCreateChangeInput, type TCreateChangeInput } from "../changes/schemas.ts";
import {
  addComment,
  approveChange,
  cancelChange,
  closeChange,
  createChange,
  recordEvidence,
  rejectChange,
  scheduleChange,
  signUat,
  submitChange,
  type ChangeActor,
} from "../changes/service.ts";
import { db as portalDb, databaseUrlOf, type Db } from "../db/client.ts";
import type { Role } from "../rbac/permissions.ts";
import { parseInput } from "../validation/parse.ts";
import { demoBackendConfig, type DemoBackendConfig } from "./backends.ts";
import { seedPastDeployment } from "./seed-deployments.ts";

/*
 * Demo change requests in every state, made through the real lifecycle functions (so their audit
 * trail, notifications, digests and approvals are what the portal itself would have written):
 * a draft, two waiting for approval (one on the stakeholder), one approved with a complete
 * checklist, one approved but stuck behind a freeze window, a scheduled one, an emergency awaiting
 * its retrospective (scheduled into the freeze with an override), a rejected one, a cancelled one,
 * and one closed with its post-implementation review after a recorded deployment. The approved one
 * with the complete checklist can be deployed straight away (its window covers the next days).
 * Runs only while no change exists.
 */

const NO_REQUEST = { ip: "", userAgent: "npm run demo" };
const HOUR = 3_600_000;
const TX_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

type DemoUsers = Record<"ops" | "release" | "admin" | "stakeholder", ChangeActor>;

function at(now: Date, hours: number): string {
  const d = new Date(now.getTime() + hours * HOUR);
  d.setUTCMinutes(0, 0, 0);
  return d.toISOString();
}

function input(fields: Record<string, unknown>): TCreateChangeInput {
  const parsed = parseInput(ZCreateChangeInput, fields);
  if (!parsed.ok) throw new Error(`demo change is invalid: ${parsed.message}`);
  return parsed.data;
}

/**
 * Moves a demo change's window (and what its approvals and UAT sign-offs were bound to) into the
 * past, as if it had happened last week, or had opened an hour ago. Demo data only: real changes
 * never travel in time.
 */
async function backdate(db: Db, changeId: string, startsAt: Date, endsAt: Date, options: { keepDecisionTimes?: boolean } = {}): Promise<void> {
  await db.$transaction(async (tx) => {
    const change = await tx.changeRequest.findUniqueOrThrow({ where: { id: changeId }, include: { approvals: true, stakeholders: true } });
    const fix = (json: string) => {
      const snap = parseSnapshot(json);
      if (!snap) return null;
      const moved = { ...snap, plannedStart: startsAt.toISOString(), plannedEnd: endsAt.toISOString() };
      return { snapshot: JSON.stringify(moved), digest: digestOf(moved) };
    };
    let newDigest = change.contentDigest;
    for (const a of change.approvals) {
      const moved = fix(a.snapshot);
      if (!moved) continue;
      if (a.digest === change.contentDigest) newDigest = moved.digest;
      const createdAt = options.keepDecisionTimes ? a.createdAt : new Date(startsAt.getTime() - 24 * HOUR);
      await tx.changeApproval.update({ where: { id: a.id }, data: { ...moved, createdAt } });
    }
    for (const s of change.stakeholders) {
      if (s.uatDigest === change.contentDigest) {
        await tx.changeStakeholder.update({ where: { changeId_userId: { changeId, userId: s.userId } }, data: { uatDigest: newDigest } });
      }
    }
    await tx.changeRequest.update({
      where: { id: changeId },
      data: { plannedStart: startsAt, plannedEnd: endsAt, contentDigest: newDigest, revision: { increment: 1 } },
    });
  }, TX_OPTIONS);
}

async function evidenceSet(ops: ChangeActor, changeId: string, now: Date, which: ("scan" | "perf" | "backup" | "scanFailed")[]) {
  for (const w of which) {
    if (w === "scan") {
      await recordEvidence(ops, { changeId, item: "SECURITY_SCAN", result: "PASSED", summary: "Trivy + Semgrep: 0 critical, 0 high", link: "https://ci.example.com/scans/48213" }, NO_REQUEST, "api:demo-ci");
    } else if (w === "scanFailed") {
      await recordEvidence(ops, { changeId, item: "SECURITY_SCAN", result: "FAILED", summary: "1 high: outdated xml parser", link: "https://ci.example.com/scans/48377" }, NO_REQUEST, "api:demo-ci");
    } else if (w === "perf") {
      await recordEvidence(ops, { changeId, item: "PERFORMANCE_TEST", result: "PASSED", summary: "k6 at 2x peak: p95 212 ms, 0.02% errors", link: "https://grafana.example.com/d/k6-run-913" }, NO_REQUEST);
    } else {
      await recordEvidence(
        ops,
        { changeId, item: "BACKUP_VERIFICATION", result: "PASSED", summary: "Nightly snapshot restored to scratch and checksummed", link: "https://backups.example.com/verify/20931", verifiedAt: at(now, -6) },
        NO_REQUEST,
      );
    }
  }
}

export async function seedDemoChanges(db: Db, now = new Date(), backends: DemoBackendConfig = demoBackendConfig()): Promise<number> {
  if ((await db.changeRequest.count()) > 0) return 0;
  // The lifecycle functions write through the portal's client: it must be this same database.
  if (databaseUrlOf(db) !== databaseUrlOf(portalDb)) throw new Error("seedDemoChanges: the given database is not DATABASE_URL's");

  const byEmail = async (email: string, role: Role): Promise<ChangeActor | null> => {
    const u = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, role: true, active: true } });
    return u && u.active && u.role === role ? { id: u.id, email: u.email, name: u.name, role } : null;
  };
  const found = {
    ops: await byEmail("ops@demo.local", "OPERATOR"),
    release: await byEmail("release@demo.local", "RELEASE_MANAGER"),
    admin: await byEmail("admin@demo.local", "ADMIN"),
    stakeholder: await byEmail("stakeholder@demo.local", "STAKEHOLDER"),
  };
  // Someone changed the demo people (role, deactivation): leave the portal as it is.
  if (!found.ops || !found.release || !found.admin || !found.stakeholder) return 0;
  const users: DemoUsers = { ops: found.ops, release: found.release, admin: found.admin, stakeholder: found.stakeholder };
  const service = async (name: string, environment: "PRODUCTION" | "STAGING") =>
    (await db.service.findUniqueOrThrow({ where: { name_environment: { name, environment } }, select: { id: true } })).id;
  const payments = await service("payments-api", "PRODUCTION");
  const checkout = await service("checkout-web", "PRODUCTION");
  const identity = await service("identity", "PRODUCTION");
  const orders = await service("orders-service", "PRODUCTION");
  const search = await service("search", "PRODUCTION");
  const notifications = await service("notifications", "PRODUCTION");
  const reporting = await service("reporting", "STAGING");
  const { ops, release, admin, stakeholder } = users;

  // Sam Stakeholder stands for the business on payments and checkout: new changes there name them.
  await db.$transaction(async (tx) => {
    for (const serviceId of [payments, checkout]) {
      const exists = await tx.serviceStakeholder.findUnique({ where: { serviceId_userId: { serviceId, userId: stakeholder.id } } });
      if (exists) continue;
      await tx.serviceStakeholder.create({ data: { serviceId, userId: stakeholder.id } });
      await recordAudit(tx, {
        action: "service.updated",
        actor: { id: null, label: "demo seed" },
        context: NO_REQUEST,
        target: { type: "Service", id: serviceId },
        changes: { stakeholders: { added: [stakeholder.name] } },
      });
    }
    // A production freeze over the coming year-end trading days.
    const freeze = await tx.freezeWindow.create({
      data: {
        startsAt: new Date(at(now, 24 * 10)),
        endsAt: new Date(at(now, 24 * 13)),
        environment: "PRODUCTION",
        reason: "Year-end trading peak",
        createdById: release.id,
      },
      select: { id: true, startsAt: true, endsAt: true },
    });
    await recordAudit(tx, {
      action: "freeze.created",
      actor: { id: release.id, label: release.email },
      context: NO_REQUEST,
      target: { type: "FreezeWindow", id: freeze.id },
      changes: { reason: "Year-end trading peak", environment: "PRODUCTION", startsAt: freeze.startsAt.toISOString(), endsAt: freeze.endsAt.toISOString() },
    });
  }, TX_OPTIONS);

  const base = {
    riskAssessment: "",
    description: "",
    version: "",
  };
  let count = 0;
  const create = async (fields: Record<string, unknown>) => {
    count++;
    return createChange(ops, input({ ...base, ...fields }), NO_REQUEST);
  };
  const approve = (actor: ChangeActor, changeId: string, comment = "") =>
    approveChange(actor, { changeId, comment, rollbackAcknowledged: true }, NO_REQUEST);

  // 1. Closed last week with its post-implementation review.
  const closed = await create({
    title: "Raise payments DB connection pool to 50",
    serviceId: payments,
    type: "STANDARD",
    risk: "LOW",
    riskAssessment: "Pool size only; DB has headroom for 200 connections.",
    implementationPlan: "Change POOL_MAX to 50 in the config map; rolling restart.",
    rollbackPlan: "Set POOL_MAX back to 20; rolling restart.",
    plannedStart: at(now, 2),
    plannedEnd: at(now, 3),
    version: "config r1842",
  });
  await evidenceSet(ops, closed.id, now, ["scan", "perf", "backup"]);
  await submitChange(ops, { changeId: closed.id }, NO_REQUEST);
  await signUat(stakeholder, { changeId: closed.id, result: "PASSED", notes: "Checkout payments fine on staging." }, NO_REQUEST);
  await approve(stakeholder, closed.id, "Fine for the business.");
  await scheduleChange(ops, { changeId: closed.id, freezeOverrideReason: "" }, NO_REQUEST);
  await backdate(db, closed.id, new Date(at(now, -24 * 6)), new Date(at(now, -24 * 6 + 1)));
  // Its deployment, as the runner would have recorded it (steps, figures, log): sets it DEPLOYED.
  await seedPastDeployment(db, backends, { changeId: closed.id, triggeredById: release.id, startedAt: new Date(at(now, -24 * 6)) });
  await closeChange(
    ops,
    {
      changeId: closed.id,
      serviceVerification: "Smoke tests and synthetic payments green for 24 h.",
      performanceValidation: "DB wait time down from 40 ms to 3 ms at peak.",
      securityConfirmation: "No new findings; config-only change.",
      documentationUpdate: "Runbook 'payments DB pool' updated with the new size.",
    },
    NO_REQUEST,
  );

  // 2. Rejected, with the reason.
  const rejected = await create({
    title: "Drop legacy report tables",
    serviceId: reporting,
    type: "NORMAL",
    risk: "MEDIUM",
    riskAssessment: "Irreversible without a restore.",
    implementationPlan: "Run migration 0042_drop_legacy_reports.",
    rollbackPlan: "Restore the tables from last night's backup.",
    plannedStart: at(now, 24 * 4),
    plannedEnd: at(now, 24 * 4 + 1),
  });
  await submitChange(ops, { changeId: rejected.id }, NO_REQUEST);
  await rejectChange(release, { changeId: rejected.id, comment: "Finance still reads two of these tables at month end. Coordinate with them first." }, NO_REQUEST);

  // 3. Cancelled.
  const cancelled = await create({
    title: "Move search to OpenSearch 2.15",
    serviceId: search,
    type: "NORMAL",
    risk: "HIGH",
    implementationPlan: "Blue-green cluster swap.",
    rollbackPlan: "Point the alias back at the old cluster.",
    plannedStart: at(now, 24 * 20),
    plannedEnd: at(now, 24 * 20 + 4),
  });
  await cancelChange(ops, { changeId: cancelled.id, reason: "Vendor pulled 2.15; waiting for 2.16." }, NO_REQUEST);

  // 4. Draft.
  await create({
    title: "Rotate identity token-signing keys",
    serviceId: identity,
    type: "NORMAL",
    risk: "MEDIUM",
    riskAssessment: "Sessions signed with the old key stay valid for 24 h via the key set.",
    implementationPlan: "Publish the new key in the JWKS, wait 24 h, switch signing.",
    rollbackPlan: "",
    plannedStart: at(now, 24 * 6),
    plannedEnd: at(now, 24 * 6 + 2),
    version: "keyset 2026-12",
  });

  // 5. Submitted, waiting on the stakeholder (the release manager has approved).
  const waiting = await create({
    title: "Upgrade card tokenisation library to 5.3",
    serviceId: payments,
    type: "NORMAL",
    risk: "MEDIUM",
    riskAssessment: "Touches card capture; covered by the contract tests.",
    description: "5.3 fixes the 3-D Secure timeout we saw in November.",
    implementationPlan: "Deploy 5.3 blue-green; watch authorisation rate for 30 minutes.",
    rollbackPlan: "Switch traffic back to the previous colour (5.2).",
    plannedStart: at(now, 24 * 3),
    plannedEnd: at(now, 24 * 3 + 1),
    version: "payments-api 5.3.0",
  });
  await evidenceSet(ops, waiting.id, now, ["scan", "perf"]);
  await submitChange(ops, { changeId: waiting.id }, NO_REQUEST);
  await approve(release, waiting.id, "Good plan.");
  await addComment(release, { changeId: waiting.id, body: "@stakeholder could you run the 3-D Secure UAT script on staging?" }, NO_REQUEST);

  // 6. Submitted, high risk, with a failed security scan: waiting on everyone.
  const high = await create({
    title: "Enable address autocomplete at checkout",
    serviceId: checkout,
    type: "NORMAL",
    risk: "HIGH",
    riskAssessment: "New third-party script on the checkout page.",
    implementationPlan: "Feature flag on for 10%, then 100% after an hour.",
    rollbackPlan: "Turn the feature flag off.",
    plannedStart: at(now, 24 * 5),
    plannedEnd: at(now, 24 * 5 + 2),
    version: "checkout-web 12.4.0",
  });
  await evidenceSet(ops, high.id, now, ["scanFailed"]);
  await submitChange(ops, { changeId: high.id }, NO_REQUEST);

  // 7. Approved with a complete checklist, deployable now: its window covers the next few days.
  const ready = await create({
    title: "Invoice PDF renderer 2.0",
    serviceId: orders,
    type: "NORMAL",
    risk: "LOW",
    implementationPlan: "Deploy 2.0 blue-green; compare 50 rendered invoices.",
    rollbackPlan: "Switch traffic back to the previous colour.",
    plannedStart: at(now, 1),
    plannedEnd: at(now, 2),
    version: "orders-service 8.0.0",
    stakeholderIds: [stakeholder.id],
  });
  await evidenceSet(ops, ready.id, now, ["scan", "perf", "backup"]);
  await submitChange(ops, { changeId: ready.id }, NO_REQUEST);
  await signUat(stakeholder, { changeId: ready.id, result: "PASSED", notes: "Invoices match the old renderer." }, NO_REQUEST);
  await approve(stakeholder, ready.id);
  // A change is submitted for a future window; the demo's opened an hour ago and lasts five days.
  await backdate(db, ready.id, new Date(at(now, -1)), new Date(at(now, 24 * 5)), { keepDecisionTimes: true });

  // 8. Scheduled.
  const scheduled = await create({
    title: "Reindex catalogue with the new analyser",
    serviceId: search,
    type: "STANDARD",
    risk: "LOW",
    implementationPlan: "Build the new index, swap the alias.",
    rollbackPlan: "Swap the alias back.",
    plannedStart: at(now, 26),
    plannedEnd: at(now, 28),
  });
  await evidenceSet(ops, scheduled.id, now, ["scan", "perf", "backup"]);
  await submitChange(ops, { changeId: scheduled.id }, NO_REQUEST);
  await approve(release, scheduled.id);
  await scheduleChange(ops, { changeId: scheduled.id, freezeOverrideReason: "" }, NO_REQUEST);

  // 9. Approved, but its window falls in the freeze: it cannot be scheduled there.
  const frozen = await create({
    title: "Switch SMS provider failover order",
    serviceId: notifications,
    type: "NORMAL",
    risk: "LOW",
    implementationPlan: "Change provider priority in config.",
    rollbackPlan: "Restore the previous priority.",
    plannedStart: at(now, 24 * 11),
    plannedEnd: at(now, 24 * 11 + 1),
  });
  await submitChange(ops, { changeId: frozen.id }, NO_REQUEST);
  await approve(admin, frozen.id);

  // 10. Emergency, scheduled into the freeze with an override, awaiting its retrospective.
  const emergency = await create({
    title: "Emergency: patch session fixation in sign-in",
    serviceId: identity,
    type: "EMERGENCY",
    risk: "HIGH",
    riskAssessment: "Actively exploited; the patch is small and covered by tests.",
    implementationPlan: "Deploy the hotfix build blue-green.",
    rollbackPlan: "Switch back to the previous colour and block the exploit at the gateway.",
    plannedStart: at(now, 24 * 10 + 2),
    plannedEnd: at(now, 24 * 10 + 3),
    version: "identity 3.9.1-hotfix",
  });
  await evidenceSet(ops, emergency.id, now, ["scan"]);
  await submitChange(ops, { changeId: emergency.id }, NO_REQUEST);
  await approve(release, emergency.id, "Approved as emergency; retrospective on Monday.");
  await scheduleChange(ops, { changeId: emergency.id, freezeOverrideReason: "Security fix for an actively exploited flaw cannot wait for the freeze to end." }, NO_REQUEST);

  return count;
}
