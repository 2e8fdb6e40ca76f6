import { db } from "../db/client.ts";

/**
 * Health data written straight into the tables, as the probe engine and the roll-up job would
 * leave it, for tests of the chart and overview queries.
 */
let counter = 0;

export async function makeHealthService(extra: { name?: string; environment?: "PRODUCTION" | "STAGING"; ownerTeam?: string; tier?: number } = {}) {
  counter++;
  return db.service.create({
    data: { name: extra.name ?? `svc-${counter}`, environment: extra.environment ?? "PRODUCTION", ownerTeam: extra.ownerTeam ?? "Platform", tier: extra.tier ?? 1 },
  });
}

export async function makeCheck(
  serviceId: string,
  extra: {
    name?: string;
    intervalSeconds?: number;
    paused?: boolean;
    status?: "PENDING" | "UP" | "DOWN" | null;
    /** 24 h / 7 d / 30 d uptime in percent (stored as the fraction 0..1 the roll-up job writes). */
    uptime?: [number, number, number];
    p95?: number;
  } = {},
) {
  counter++;
  const check = await db.healthCheck.create({
    data: { serviceId, name: extra.name ?? `check-${counter}`, kind: "HTTP", url: "http://127.0.0.1:1/health", intervalSeconds: extra.intervalSeconds ?? 30, paused: extra.paused ?? false },
  });
  if (extra.status !== null) {
    await db.healthCheckState.create({
      data: {
        checkId: check.id,
        status: extra.status ?? "UP",
        uptime24h: extra.uptime ? extra.uptime[0] / 100 : null,
        uptime7d: extra.uptime ? extra.uptime[1] / 100 : null,
        uptime30d: extra.uptime ? extra.uptime[2] / 100 : null,
        p95LatencyMs24h: extra.p95 ?? null,
        lastCheckedAt: new Date(),
      },
    });
  }
  return check;
}

export type RollupFill = { count: number; failures: number; p50: number; p95: number };

/** One roll-up per resolution step in [from, to); `fill(bucketStartMs)` decides its numbers. */
export async function insertRollups(checkId: string, resolution: "MINUTE" | "HOUR", from: number, to: number, fill: (t: number) => RollupFill) {
  const step = resolution === "MINUTE" ? 60_000 : 3_600_000;
  const data = [];
  for (let t = Math.ceil(from / step) * step; t < to; t += step) {
    const f = fill(t);
    data.push({ checkId, resolution, bucketStart: new Date(t), count: f.count, failures: f.failures, latencySum: f.p50 * (f.count - f.failures), p50Ms: f.p50, p95Ms: f.p95, maxMs: f.p95 * 1.5 });
  }
  for (let i = 0; i < data.length; i += 5_000) await db.healthRollup.createMany({ data: data.slice(i, i + 5_000) });
  return data.length;
}

/** Raw samples every `stepMs` in [from, to). */
export async function insertSamples(checkId: string, from: number, to: number, stepMs: number, fill: (t: number) => { ok: boolean; latencyMs: number }) {
  const data = [];
  for (let t = from; t < to; t += stepMs) {
    const f = fill(t);
    data.push({ checkId, at: new Date(t), ok: f.ok, latencyMs: f.latencyMs, statusCode: f.ok ? 200 : 503, error: f.ok ? "" : "HTTP 503" });
  }
  for (let i = 0; i < data.length; i += 5_000) await db.healthSample.createMany({ data: data.slice(i, i + 5_000) });
  return data.length;
}
