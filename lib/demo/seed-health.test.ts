import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { resolveRange, ZRangeQuery } from "../charts/range.ts";
import { db } from "../db/client.ts";
import { healthOverview } from "../health/overview.ts";
import { healthSeries } from "../health/series.ts";
import { serviceHealthEvents, ZServiceSeriesQuery } from "../health/service-health.ts";
import type { DemoBackendConfig } from "./backends.ts";
import { seedDemo } from "./seed.ts";
import { DEMO_CHECKS } from "./seed-health.ts";

// The whole demo seed writes 30 days of health history and business metrics: on a loaded CI
// machine with MariaDB that takes longer than the default 30 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const stateDir = mkdtempSync(path.join(tmpdir(), "demo-health-"));
const backends: DemoBackendConfig = { ports: { BLUE: 4593, GREEN: 4594 }, stateDir };
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe("demo health data", () => {
  it("gives the demo services checks on the demo backends with 30 days of charts, an outage, maintenance and DEP-000001, once", async () => {
    await seedDemo(db, backends);
    const checks = await db.healthCheck.findMany({ include: { state: true } });
    expect(checks).toHaveLength(DEMO_CHECKS.length);
    expect(checks.filter((c) => c.kind === "HTTP").every((c) => /^http:\/\/127\.0\.0\.1:459[34]\/health$/.test(c.url))).toBe(true);
    expect(checks.find((c) => c.kind === "TCP")).toMatchObject({ host: "127.0.0.1", port: 4593 });

    const overview = await healthOverview();
    const payments = overview.services.find((s) => s.name === "payments-api" && s.environment === "PRODUCTION")!;
    expect(payments.state).toBe("UP");
    expect(payments.uptime30d).toBeGreaterThan(99);
    expect(payments.uptime30d).toBeLessThan(100);
    expect(payments.lastDeployment?.number).toBe(1);
    expect(overview.services.find((s) => s.name === "reporting")!.state).toBe("NO_CHECKS");

    const ids = checks.filter((c) => c.serviceId === payments.id).map((c) => c.id);
    for (const r of ["1h", "24h", "7d", "30d"]) {
      const series = await healthSeries(ids, resolveRange(ZRangeQuery.parse({ range: r })), { minIntervalMs: 30_000 });
      const filled = series.points.filter((p) => p.count > 0);
      expect(filled.length, r).toBeGreaterThan(series.points.length * 0.9);
    }
    const events = await serviceHealthEvents(payments.id, ZServiceSeriesQuery.parse({ range: "30d" }));
    expect(events.deployments.map((d) => d.number)).toEqual(["DEP-000001"]);
    expect(events.maintenance).toHaveLength(1);
    expect(events.events.some((e) => e.muted)).toBe(true);
    expect(events.events.some((e) => !e.muted && e.to === "DOWN")).toBe(true);

    const counts = async () => [await db.healthCheck.count(), await db.healthRollup.count(), await db.healthSample.count(), await db.healthEvent.count(), await db.auditEvent.count()];
    const before = await counts();
    await seedDemo(db, backends);
    expect(await counts()).toEqual(before);
  });
});

