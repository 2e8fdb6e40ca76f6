import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { makeUser } from "../testing/actors.ts";
import { insertRollups, makeCheck, makeHealthService } from "../testing/health-fixtures.ts";
import { serviceHealthEvents, serviceHealthSeries, seriesCsv, ZServiceSeriesQuery } from "./service-health.ts";

const NOW = new Date(Date.UTC(2026, 10, 27, 12, 0, 0));
const H = 3_600_000;
let serviceId = "";
let checkA = "";
let checkB = "";

beforeAll(async () => {
  const user = await makeUser("OPERATOR");
  const svc = await makeHealthService({ name: "=cmd|' /C calc'!A0" });
  serviceId = svc.id;
  checkA = (await makeCheck(svc.id, { name: "api" })).id;
  checkB = (await makeCheck(svc.id, { name: "tcp" })).id;
  await insertRollups(checkA, "HOUR", NOW.getTime() - 3 * 24 * H, NOW.getTime(), () => ({ count: 120, failures: 6, p50: 40, p95: 90 }));
  const change = await db.changeRequest.create({
    data: { number: 1, title: "Release", serviceId, type: "NORMAL", risk: "LOW", status: "DEPLOYED", requesterId: user.id, plannedStart: NOW, plannedEnd: NOW },
  });
  const dep = (n: number, startedAt: number, status: "SUCCEEDED" | "ROLLED_BACK", finishedAt: number | null) =>
    db.deployment.create({
      data: { number: n, changeId: change.id, serviceId, version: `1.${n}`, status, toColour: "BLUE", triggeredById: user.id, idempotencyKey: `k${n}`, startedAt: new Date(startedAt), finishedAt: finishedAt ? new Date(finishedAt) : null },
    });
  await dep(1, NOW.getTime() - 40 * H, "SUCCEEDED", NOW.getTime() - 40 * H + 60_000); // before a 24 h range
  await dep(2, NOW.getTime() - 5 * H, "ROLLED_BACK", NOW.getTime() - 5 * H + 120_000);
  const window = (startsAt: number, endsAt: number, cancelledAt: number | null, reason: string) =>
    db.maintenanceWindow.create({ data: { serviceId, startsAt: new Date(startsAt), endsAt: new Date(endsAt), cancelledAt: cancelledAt ? new Date(cancelledAt) : null, reason, createdById: user.id } });
  await window(NOW.getTime() - 3 * H, NOW.getTime() - 1 * H, NOW.getTime() - 2 * H, "cut short");
  await window(NOW.getTime() + H, NOW.getTime() + 2 * H, NOW.getTime() - 10 * H, "called off");
  await window(NOW.getTime() - 10 * H, NOW.getTime() - 9 * H, null, "patching");
  await db.healthEvent.createMany({
    data: [
      { checkId: checkA, serviceId, fromStatus: "UP", toStatus: "DOWN", at: new Date(NOW.getTime() - 9.5 * H), reason: "HTTP 503", muted: true },
      { checkId: checkB, serviceId, fromStatus: "UP", toStatus: "DOWN", at: new Date(NOW.getTime() - 2 * H), reason: "connect ECONNREFUSED" },
      { checkId: checkB, serviceId, fromStatus: "DOWN", toStatus: "UP", at: new Date(NOW.getTime() - 1.9 * H), reason: "recovered" },
    ],
  });
});

const q = (input: Record<string, string>) => ZServiceSeriesQuery.parse(input);

describe("a service's availability data", () => {
  it("lists the range's state changes newest first, the deployments that overlap it and the maintenance that took place", async () => {
    const e = await serviceHealthEvents(serviceId, q({ range: "24h" }), { now: NOW });
    expect(e.events.map((x) => [x.checkName, x.from, x.to, x.muted])).toEqual([
      ["tcp", "DOWN", "UP", false],
      ["tcp", "UP", "DOWN", false],
      ["api", "UP", "DOWN", true],
    ]);
    expect(e.deployments.map((d) => [d.number, d.status])).toEqual([["DEP-000002", "ROLLED_BACK"]]);
    // Cut short: ends when cancelled; called off before it began: not shown.
    expect(e.maintenance.map((m) => [m.reason, m.endsAt])).toEqual([
      ["patching", new Date(NOW.getTime() - 9 * H).toISOString()],
      ["cut short", new Date(NOW.getTime() - 2 * H).toISOString()],
    ]);
    const one = await serviceHealthEvents(serviceId, q({ range: "24h", check: checkA }), { now: NOW });
    expect(one.events).toHaveLength(1);
  });

  it("refuses a check of another service and an unknown service with not_found", async () => {
    const other = await makeHealthService();
    const foreign = await makeCheck(other.id);
    await expect(serviceHealthSeries(serviceId, q({ range: "24h", check: foreign.id }), { now: NOW })).rejects.toMatchObject({ code: "not_found" });
    await expect(serviceHealthSeries("nope", q({ range: "24h" }), { now: NOW })).rejects.toBeInstanceOf(AppError);
  });

  it("rejects a custom range without an end or longer than 400 days", () => {
    expect(ZServiceSeriesQuery.safeParse({ range: "custom", from: "2026-01-01T00:00:00Z" }).success).toBe(false);
    expect(ZServiceSeriesQuery.safeParse({ range: "custom", from: "2024-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }).success).toBe(false);
    expect(ZServiceSeriesQuery.safeParse({ range: "week" }).success).toBe(false);
  });

  it("exports the chart's buckets as CSV with a formula-safe file name and one row per bucket", async () => {
    const result = await serviceHealthSeries(serviceId, q({ range: "30d", check: checkA }), { now: NOW });
    const csv = seriesCsv(result);
    expect(csv.filename).toBe("health--cmd-C-calc-A0-api-30d-2026-11-27.csv");
    const lines = csv.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe("bucket_start_utc,availability_percent,p50_ms,p95_ms,error_rate_percent,probes");
    expect(lines).toHaveLength(result.series.points.length + 1);
    expect(lines.at(-1)).toBe(`${new Date(NOW.getTime() - H).toISOString()},95,40,90,5,120`);
    expect(lines[1]).toMatch(/^[^,]+,,,,,0$/); // before the first roll-up: empty cells, 0 probes
  });
});
