import { beforeAll, describe, expect, it } from "vitest";
import { db, type DeploymentStatus } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { makeUser } from "../testing/actors.ts";
import { formatDeploymentNumber, parseDeploymentNumber } from "./number.ts";
import {
  deploymentPage,
  deploymentProgress,
  getDeploymentDetail,
  getDeploymentTargetView,
  listDeployments,
  recentDeployments,
  rollbackOffered,
  ZDeploymentQuery,
} from "./queries.ts";

const q = (input: Record<string, string | string[]> = {}) => ZDeploymentQuery.parse(input);
const T0 = Date.UTC(2026, 10, 20, 9);

let operator = { id: "", role: "OPERATOR" as const };
let viewer = { id: "", role: "VIEWER" as const };
let payments = "";
let search = "";
let paymentsChange = "";
let searchChange = "";
const numbers: number[] = [];

async function deployment(n: number, serviceId: string, changeId: string, status: DeploymentStatus, startedAt: Date, extra: Record<string, unknown> = {}) {
  const d = await db.deployment.create({
    data: {
      number: n,
      serviceId,
      changeId,
      version: `1.${n}.0`,
      status,
      fromColour: n % 2 ? "BLUE" : "GREEN",
      toColour: n % 2 ? "GREEN" : "BLUE",
      triggeredById: operator.id,
      idempotencyKey: `key-${n}`,
      startedAt,
      ...extra,
    },
  });
  numbers.push(n);
  return d;
}

beforeAll(async () => {
  const op = await makeUser("OPERATOR", { name: "Olga Operator" });
  operator = { id: op.id, role: "OPERATOR" };
  viewer = { id: (await makeUser("VIEWER")).id, role: "VIEWER" };
  payments = (await db.service.create({ data: { name: "payments-api", environment: "PRODUCTION", ownerTeam: "Payments", tier: 1 } })).id;
  search = (await db.service.create({ data: { name: "search", environment: "STAGING", ownerTeam: "Discovery", tier: 2 } })).id;
  const change = (number: number, serviceId: string) =>
    db.changeRequest.create({
      data: {
        number,
        title: `Release ${number}`,
        serviceId,
        type: "NORMAL",
        risk: "LOW",
        status: "DEPLOYED",
        requesterId: op.id,
        plannedStart: new Date(T0),
        plannedEnd: new Date(T0 + 3_600_000),
      },
    });
  paymentsChange = (await change(1, payments)).id;
  searchChange = (await change(2, search)).id;
  // 12 deployments; start times repeat in pairs so only the id keeps pages apart.
  for (let n = 1; n <= 12; n++) {
    const svc = n % 3 === 0 ? search : payments;
    const status: DeploymentStatus = n === 12 ? "RUNNING" : n % 4 === 0 ? "ROLLED_BACK" : n % 5 === 0 ? "FAILED" : "SUCCEEDED";
    const startedAt = new Date(T0 + Math.floor(n / 2) * 60_000);
    await deployment(n, svc, svc === search ? searchChange : paymentsChange, status, startedAt, {
      liveAt: status === "SUCCEEDED" || status === "ROLLED_BACK" ? new Date(startedAt.getTime() + 12_500) : null,
      finishedAt: status === "RUNNING" ? null : new Date(startedAt.getTime() + 40_000),
    });
  }
});

describe("deployment numbers", () => {
  it("reads DEP-000123, dep-123 and 123 as the same number and refuses anything else", () => {
    expect(formatDeploymentNumber(123)).toBe("DEP-000123");
    expect(parseDeploymentNumber("DEP-000123")).toBe(123);
    expect(parseDeploymentNumber("dep-123")).toBe(123);
    expect(parseDeploymentNumber("123")).toBe(123);
    expect(parseDeploymentNumber("CHG-000123")).toBeNull();
    expect(parseDeploymentNumber("0")).toBeNull();
  });
});

describe("deployment history", () => {
  it("lists every deployment newest first and pages through ties on the start time without losing or repeating one", async () => {
    const seen: number[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await deploymentPage(q(), { after }, 5);
      seen.push(...page.deployments.map((d) => d.number));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    const first = await deploymentPage(q(), {}, 12);
    expect(first.deployments.map((d) => d.number)).toEqual(seen);
    const starts = first.deployments.map((d) => d.startedAt.getTime());
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
  });

  it("goes back a page with the previous cursor and lands on the same rows", async () => {
    const one = await deploymentPage(q(), {}, 4);
    const two = await deploymentPage(q(), { after: one.next! }, 4);
    expect(two.prev).not.toBeNull();
    const back = await deploymentPage(q(), { before: two.prev! }, 4);
    expect(back.deployments.map((d) => d.number)).toEqual(one.deployments.map((d) => d.number));
    expect(back.prev).toBeNull();
  });

  it("filters by service and by several statuses", async () => {
    const bySearch = await deploymentPage(q({ service: search }));
    expect(bySearch.deployments.map((d) => d.number).sort((a, b) => a - b)).toEqual([3, 6, 9, 12]);
    expect(bySearch.deployments.every((d) => d.service.name === "search")).toBe(true);
    const failed = await deploymentPage(q({ status: ["FAILED", "ROLLED_BACK"] }));
    expect(failed.deployments.map((d) => d.number).sort((a, b) => a - b)).toEqual([4, 5, 8, 10]);
    const commaSeparated = await deploymentPage(q({ status: "FAILED,ROLLED_BACK" }));
    expect(commaSeparated.deployments).toHaveLength(4);
  });

  it("gives each row its references, who triggered it and its durations", async () => {
    const page = await deploymentPage(q({ status: "SUCCEEDED", service: payments }));
    const row = page.deployments.find((d) => d.number === 2)!;
    expect(row.reference).toBe("DEP-000002");
    expect(row.change.reference).toBe("CHG-000001");
    expect(row.triggeredBy.name).toBe("Olga Operator");
    expect(row.triggerToLiveMs).toBe(12_500);
    expect(row.totalMs).toBe(40_000);
    const running = (await deploymentPage(q({ status: "RUNNING" }))).deployments[0]!;
    expect(running.totalMs).toBeNull();
    expect(running.triggerToLiveMs).toBeNull();
  });

  it("refuses a cursor that was not made by the list", async () => {
    await expect(deploymentPage(q(), { after: "not-a-cursor" })).rejects.toBeInstanceOf(AppError);
  });

  it("lets anyone with deployment.read list, and the latest of a change or service come newest first", async () => {
    await expect(listDeployments(viewer, q())).resolves.toMatchObject({ deployments: expect.any(Array) });
    const ofChange = await recentDeployments({ changeId: searchChange });
    expect(ofChange.map((d) => d.number)).toEqual([12, 9, 6, 3]);
  });
});

describe("one deployment", () => {
  let number = 0;
  let logIds: number[] = [];

  beforeAll(async () => {
    number = 100;
    const startedAt = new Date(T0 + 3_600_000);
    const d = await deployment(number, payments, paymentsChange, "RUNNING", startedAt);
    const kinds = ["PREFLIGHT", "DEPLOY", "HEALTH_CHECK", "SWITCH", "VALIDATE", "DONE"] as const;
    for (const [i, kind] of kinds.entries()) {
      await db.deploymentStep.create({
        data: {
          deploymentId: d.id,
          position: i,
          kind,
          status: i < 2 ? "SUCCEEDED" : i === 2 ? "RUNNING" : "PENDING",
          startedAt: i <= 2 ? new Date(startedAt.getTime() + i * 2000) : null,
          finishedAt: i < 2 ? new Date(startedAt.getTime() + i * 2000 + 1500) : null,
          summary: i === 0 ? "Gates still hold" : "",
          detail: i === 1 ? JSON.stringify({ exitCode: 0 }) : i === 0 ? "not json" : "{}",
        },
      });
    }
    logIds = [];
    for (let i = 0; i < 7; i++) {
      const line = await db.deploymentLog.create({
        data: { deploymentId: d.id, step: i < 3 ? "PREFLIGHT" : "DEPLOY", level: i === 5 ? "warn" : "info", message: `line ${i}` },
      });
      logIds.push(line.id);
    }
    await db.deploymentTarget.create({
      data: {
        serviceId: payments,
        driver: "COMMAND",
        blueUrl: "http://127.0.0.1:4401",
        greenUrl: "http://127.0.0.1:4402",
        driverConfig: JSON.stringify({ deployCommand: "true" }),
        liveColour: "BLUE",
        liveCheckedAt: new Date(T0),
        activeDeploymentId: d.id,
      },
    });
  });

  it("shows its steps in order with durations, parsed figures and the whole log", async () => {
    const now = new Date(T0 + 3_600_000 + 10_000);
    const detail = (await getDeploymentDetail(viewer, number, db, now))!;
    expect(detail.steps.map((s) => s.kind)).toEqual(["PREFLIGHT", "DEPLOY", "HEALTH_CHECK", "SWITCH", "VALIDATE", "DONE"]);
    expect(detail.steps[0]!.durationMs).toBe(1500);
    expect(detail.steps[0]!.detail).toEqual({});
    expect(detail.steps[1]!.detail).toEqual({ exitCode: 0 });
    expect(detail.steps[2]!.durationMs).toBe(6000); // running: up to now
    expect(detail.steps[3]!.durationMs).toBeNull();
    expect(detail.logs.map((l) => l.message)).toEqual(["line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6"]);
    expect(detail.logs[5]!.level).toBe("warn");
    expect(detail.lastLogId).toBe(logIds[6]);
    expect(detail.active).toBe(true);
    expect(detail.urls).toEqual({ BLUE: "http://127.0.0.1:4401", GREEN: "http://127.0.0.1:4402" });
    expect(detail.latestOfService).toBe(true);
    expect(await getDeploymentDetail(viewer, 99_999)).toBeNull();
  });

  it("returns only the log lines after the one a poll last saw", async () => {
    const progress = (await deploymentProgress(number, logIds[3]))!;
    expect(progress.logs.map((l) => l.message)).toEqual(["line 4", "line 5", "line 6"]);
    expect(progress.lastLogId).toBe(logIds[6]);
    expect(progress.moreLogs).toBe(false);
    const nothingNew = (await deploymentProgress(number, logIds[6]))!;
    expect(nothingNew.logs).toEqual([]);
    expect(nothingNew.lastLogId).toBe(logIds[6]);
    expect(nothingNew.status).toBe("RUNNING");
    expect(nothingNew.steps).toHaveLength(6);
  });

  it("offers a rollback while running until one is requested, and after success only on the live latest deployment that replaced a colour", () => {
    const base = { latestOfService: true, fromColour: "BLUE" as const, toColour: "GREEN" as const, targetLive: { colour: "GREEN" as const, checkedAt: null } };
    expect(rollbackOffered({ ...base, status: "RUNNING", rollbackRequestedAt: null })).toBe(true);
    expect(rollbackOffered({ ...base, status: "RUNNING", rollbackRequestedAt: new Date() })).toBe(false);
    expect(rollbackOffered({ ...base, status: "SUCCEEDED", rollbackRequestedAt: null })).toBe(true);
    expect(rollbackOffered({ ...base, status: "SUCCEEDED", rollbackRequestedAt: null, latestOfService: false })).toBe(false);
    expect(rollbackOffered({ ...base, status: "SUCCEEDED", rollbackRequestedAt: null, targetLive: { colour: "BLUE", checkedAt: null } })).toBe(false);
    expect(rollbackOffered({ ...base, status: "SUCCEEDED", rollbackRequestedAt: null, fromColour: null })).toBe(false);
    expect(rollbackOffered({ ...base, status: "ROLLED_BACK", rollbackRequestedAt: null })).toBe(false);
  });

  it("shows a service's target with the colour read back and the deployment holding it", async () => {
    const view = (await getDeploymentTargetView(payments))!;
    expect(view.driver).toBe("COMMAND");
    expect(view.liveColour).toBe("BLUE");
    expect(view.liveCheckedAt).toEqual(new Date(T0));
    expect(view.activeDeployment).toMatchObject({ number, reference: "DEP-000100", status: "RUNNING" });
    expect(view.hasWebhookSecret).toBe(false);
    expect(view.driverConfig).toEqual({ deployCommand: "true" });
    expect(await getDeploymentTargetView(search)).toBeNull();
  });

  it("refuses a role without deployment.read", async () => {
    await expect(getDeploymentDetail({ role: "NOBODY" as never }, number)).rejects.toBeInstanceOf(AppError);
  });
});
