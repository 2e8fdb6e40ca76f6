import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { makeUser } from "../testing/actors.ts";
import { makeCheck, makeHealthService } from "../testing/health-fixtures.ts";
import { healthOverview } from "./overview.ts";

let ids: Record<string, string> = {};

beforeAll(async () => {
  const down = await makeHealthService({ name: "payments", ownerTeam: "Payments" });
  await makeCheck(down.id, { status: "UP", uptime: [99, 99.5, 99.9], p95: 120 });
  await makeCheck(down.id, { status: "DOWN", uptime: [97, 98.5, 99.3], p95: 480 });
  await makeCheck(down.id, { status: "PENDING" });
  const pending = await makeHealthService({ name: "search", ownerTeam: "Discovery", environment: "STAGING" });
  await makeCheck(pending.id, { status: "UP" });
  await makeCheck(pending.id, { status: null }); // never probed: no state row yet
  await makeCheck(pending.id, { status: "DOWN", paused: true }); // paused checks do not count
  const up = await makeHealthService({ name: "orders", ownerTeam: "Payments" });
  await makeCheck(up.id, { status: "UP", uptime: [100, 100, 100], p95: 80 });
  const paused = await makeHealthService({ name: "legacy", ownerTeam: "Platform" });
  await makeCheck(paused.id, { status: "DOWN", paused: true });
  const none = await makeHealthService({ name: "docs", ownerTeam: "Platform" });
  ids = { down: down.id, pending: pending.id, up: up.id, paused: paused.id, none: none.id };

  const user = await makeUser("OPERATOR");
  const change = await db.changeRequest.create({
    data: { number: 1, title: "Release", serviceId: up.id, type: "NORMAL", risk: "LOW", status: "DEPLOYED", requesterId: user.id, plannedStart: new Date(), plannedEnd: new Date() },
  });
  for (const [n, at] of [[1, Date.UTC(2026, 10, 1)], [2, Date.UTC(2026, 10, 20)]] as const) {
    await db.deployment.create({
      data: { number: n, changeId: change.id, serviceId: up.id, version: `1.${n}`, status: "SUCCEEDED", toColour: "BLUE", triggeredById: user.id, idempotencyKey: `k${n}`, startedAt: new Date(at), finishedAt: new Date(at + 60_000) },
    });
  }
});

describe("health overview", () => {
  it("gives each service its worst active check's state: Down > Pending > Up, Paused when all are paused, No checks without any", async () => {
    const { services, totals } = await healthOverview();
    const state = Object.fromEntries(services.map((s) => [s.id, s.state]));
    expect(state).toEqual({ [ids.down!]: "DOWN", [ids.pending!]: "PENDING", [ids.up!]: "UP", [ids.paused!]: "PAUSED", [ids.none!]: "NO_CHECKS" });
    // Worst first.
    expect(services.map((s) => s.state)).toEqual(["DOWN", "PENDING", "UP", "PAUSED", "NO_CHECKS"]);
    expect(totals.services).toEqual({ DOWN: 1, PENDING: 1, UP: 1, PAUSED: 1, NO_CHECKS: 1 });
    expect(totals.checks).toEqual({ total: 8, up: 3, down: 1, pending: 2, paused: 2 });
  });

  it("shows uptime as percent averaged over the checks and the largest p95 from the state summaries", async () => {
    const { services } = await healthOverview();
    const payments = services.find((s) => s.id === ids.down)!;
    expect(payments.checks).toEqual({ total: 3, up: 1, down: 1, pending: 1, paused: 0 });
    expect(payments.uptime24h).toBeCloseTo(98, 3);
    expect(payments.uptime7d).toBeCloseTo(99, 3);
    expect(payments.uptime30d).toBeCloseTo(99.6, 3);
    expect(payments.p95LatencyMs24h).toBe(480);
    expect(services.find((s) => s.id === ids.pending)!.uptime24h).toBeNull();
  });

  it("names each service's newest deployment", async () => {
    const { services } = await healthOverview();
    expect(services.find((s) => s.id === ids.up)!.lastDeployment).toMatchObject({ number: 2, status: "SUCCEEDED", version: "1.2" });
    expect(services.find((s) => s.id === ids.down)!.lastDeployment).toBeNull();
  });

  it("filters by environment and owner team", async () => {
    expect((await healthOverview({ environment: "STAGING" })).services.map((s) => s.name)).toEqual(["search"]);
    expect((await healthOverview({ team: "Payments" })).services.map((s) => s.name)).toEqual(["payments", "orders"]);
    expect((await healthOverview({ team: "Payments" })).teams).toEqual(["Discovery", "Payments", "Platform"]);
  });
});

describe("health overview pages", () => {
  it("pages 100 services at a time, worst first, with totals over every page", async () => {
    const many = await Promise.all(Array.from({ length: 120 }, (_, i) => makeHealthService({ name: `bulk-${String(i).padStart(3, "0")}`, ownerTeam: "Bulk" })));
    await makeCheck(many[119]!.id, { status: "DOWN" });
    const first = await healthOverview({ team: "Bulk" });
    expect(first).toMatchObject({ matching: 120, page: 1, pageCount: 2, pageSize: 100 });
    expect(first.services).toHaveLength(100);
    expect(first.services[0]!.name).toBe("bulk-119");
    expect(first.totals.services).toMatchObject({ DOWN: 1, NO_CHECKS: 119 });
    const second = await healthOverview({ team: "Bulk", page: 2 });
    expect(second.services.map((s) => s.name).slice(0, 2)).toEqual(["bulk-099", "bulk-100"]);
    expect(second.services).toHaveLength(20);
    expect((await healthOverview({ team: "Bulk", page: 9 })).page).toBe(2);
  });
});
