import { recordAudit } from "../audit/record.ts";
import type { Db } from "../db/client.ts";
import { insertHealthRollupsBulk, insertHealthSamplesBulk } from "../db/health-bulk.ts";
import { percentile } from "../deployments/probe.ts";
import { demoBackendUrl, type DemoBackendConfig } from "./backends.ts";

/**
 * Demo health checks on the demo services, probing the demo backends (blue/green, one TCP check),
 * with 30 days of history so a newcomer sees charts at once: HOUR roll-ups for 30 days, MINUTE
 * roll-ups for the last 14 days (the default minute retention), raw samples for the last 24 hours, state summaries and state
 * changes, all computed from one generated probe stream (so every level agrees with the others).
 * The pattern: a 12-minute outage of payments-api 4 days ago, a 3-minute one 5 hours ago, a slow
 * hour 10 hours ago, a maintenance window 9 days ago (its state changes muted), and a slightly
 * slower hour after the seeded deployment DEP-000001 went live. The live probes continue from now.
 * Idempotent: a check that exists (by service and name) is left alone, except that its demo
 * backend address follows DEMO_BACKEND_PORTS like the deployment targets do.
 */
const SYSTEM = { id: null, label: "demo seed" };
const NO_REQUEST = { ip: "", userAgent: "npm run demo" };
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const INTERVAL = 30_000;

type DemoCheck = {
  service: { name: string; environment: "PRODUCTION" | "STAGING" };
  name: string;
  kind: "HTTP" | "TCP";
  colour: "BLUE" | "GREEN";
  /** Typical latency, ms. */
  base: number;
  paused?: boolean;
};

export const DEMO_CHECKS: DemoCheck[] = [
  { service: { name: "payments-api", environment: "PRODUCTION" }, name: "API health (blue)", kind: "HTTP", colour: "BLUE", base: 42 },
  { service: { name: "payments-api", environment: "PRODUCTION" }, name: "API health (green)", kind: "HTTP", colour: "GREEN", base: 47 },
  { service: { name: "payments-api", environment: "PRODUCTION" }, name: "TCP port (blue)", kind: "TCP", colour: "BLUE", base: 3 },
  { service: { name: "checkout-web", environment: "PRODUCTION" }, name: "Checkout health", kind: "HTTP", colour: "BLUE", base: 85 },
  { service: { name: "identity", environment: "PRODUCTION" }, name: "Sign-in health", kind: "HTTP", colour: "GREEN", base: 28 },
  { service: { name: "orders-service", environment: "PRODUCTION" }, name: "Orders health", kind: "HTTP", colour: "BLUE", base: 64 },
  { service: { name: "search", environment: "PRODUCTION" }, name: "Search health", kind: "HTTP", colour: "GREEN", base: 120 },
  { service: { name: "notifications", environment: "PRODUCTION" }, name: "Notifications health", kind: "HTTP", colour: "BLUE", base: 35, paused: true },
  { service: { name: "payments-api", environment: "STAGING" }, name: "API health", kind: "HTTP", colour: "GREEN", base: 55 },
];

type Span = { from: number; to: number };
type Pattern = { outages: Span[]; slow: (Span & { factor: number })[]; maintenance: (Span & { reason: string }) | null };

/** Deterministic noise in [0, 1) for a check and an instant. */
function noise(seed: number, t: number): number {
  const x = Math.sin(seed * 12.9898 + (t / INTERVAL) * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

function probe(seed: number, base: number, t: number, p: Pattern): { ok: boolean; latencyMs: number } {
  const down = p.outages.some((o) => t >= o.from && t < o.to) || (p.maintenance !== null && t >= p.maintenance.from && t < p.maintenance.to);
  const n = noise(seed, t);
  // An HTTP 503 or a refused connection answers fast.
  if (down) return { ok: false, latencyMs: Math.round(base * (0.3 + n * 0.4) * 10) / 10 };
  const slow = p.slow.find((s) => t >= s.from && t < s.to);
  // A daily rhythm (busier afternoons) plus a long tail: 5 % of probes take 2-3x as long.
  const daily = 1 + 0.25 * Math.sin(((t % DAY) / DAY) * 2 * Math.PI - Math.PI / 2);
  const tail = n > 0.95 ? 2 + n : 1 + n * 0.4;
  return { ok: n > 0.0001, latencyMs: Math.round(base * daily * tail * (slow?.factor ?? 1) * 10) / 10 };
}

type Bucket = { count: number; failures: number; sum: number; latencies: number[] };

function rollup(checkId: string, resolution: "MINUTE" | "HOUR", t: number, b: Bucket) {
  const sorted = b.latencies.sort((x, y) => x - y);
  return {
    checkId,
    resolution,
    bucketStart: new Date(t),
    count: b.count,
    failures: b.failures,
    latencySum: b.sum,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted.at(-1) ?? 0,
  };
}


export async function seedDemoHealth(db: Db, backends: DemoBackendConfig, now = new Date()): Promise<{ checks: number }> {
  const services = await db.service.findMany({ select: { id: true, name: true, environment: true } });
  const serviceId = new Map(services.map((s) => [`${s.name}/${s.environment}`, s.id]));
  const ops = await db.user.findUnique({ where: { email: "ops@demo.local" }, select: { id: true } });
  const dep = await db.deployment.findFirst({ where: { number: 1 }, select: { serviceId: true, liveAt: true } });
  const end = Math.floor(now.getTime() / INTERVAL) * INTERVAL;
  const hourAgo = (h: number) => Math.floor((end - h * HOUR) / MIN) * MIN;
  let created = 0;
  let maintenanceId: string | null = null;

  for (const [i, spec] of DEMO_CHECKS.entries()) {
    const sid = serviceId.get(`${spec.service.name}/${spec.service.environment}`);
    if (!sid) continue;
    const url = `${demoBackendUrl(backends, spec.colour)}/health`;
    const port = backends.ports[spec.colour];
    const existing = await db.healthCheck.findUnique({ where: { serviceId_name: { serviceId: sid, name: spec.name } }, select: { id: true, url: true, port: true } });
    if (existing) {
      if (spec.kind === "HTTP" ? existing.url !== url : existing.port !== port) {
        await db.healthCheck.update({ where: { id: existing.id }, data: spec.kind === "HTTP" ? { url } : { port }, select: { id: true } });
      }
      continue;
    }
    const isPayments = spec.service.name === "payments-api" && spec.service.environment === "PRODUCTION";
    const pattern: Pattern = {
      outages: isPayments && spec.kind === "HTTP"
        ? [{ from: hourAgo(4 * 24 + 7), to: hourAgo(4 * 24 + 7) + 12 * MIN }, { from: hourAgo(5), to: hourAgo(5) + 3 * MIN }]
        : spec.service.name === "search" ? [{ from: hourAgo(13 * 24 + 2), to: hourAgo(13 * 24 + 2) + 25 * MIN }] : [],
      slow: [
        ...(isPayments ? [{ from: hourAgo(10), to: hourAgo(9), factor: 5 }] : []),
        ...(spec.service.name === "checkout-web" ? [{ from: hourAgo(30), to: hourAgo(28), factor: 3 }] : []),
        ...(dep?.liveAt && dep.serviceId === sid ? [{ from: dep.liveAt.getTime(), to: dep.liveAt.getTime() + HOUR, factor: 1.6 }] : []),
      ],
      maintenance: isPayments ? { from: hourAgo(9 * 24 + 1), to: hourAgo(9 * 24 + 1) + 20 * MIN, reason: "Database failover drill" } : null,
    };
    // Check and state first (one transaction with its audit event), then the history in bulk.
    const check = await db.$transaction(async (tx) => {
      const c = await tx.healthCheck.create({
        data: {
          serviceId: sid,
          name: spec.name,
          kind: spec.kind,
          url: spec.kind === "HTTP" ? url : "",
          host: spec.kind === "TCP" ? "127.0.0.1" : "",
          port: spec.kind === "TCP" ? port : 0,
          intervalSeconds: INTERVAL / 1000,
          timeoutMs: 5000,
          retries: 1,
          paused: spec.paused ?? false,
          createdAt: new Date(end - 31 * DAY),
        },
        select: { id: true },
      });
      await recordAudit(tx, {
        action: "health.check_created",
        actor: SYSTEM,
        context: NO_REQUEST,
        target: { type: "HealthCheck", id: c.id },
        changes: { service: `${spec.service.name} (${spec.service.environment.toLowerCase()})`, name: spec.name, kind: spec.kind, target: spec.kind === "HTTP" ? url : `127.0.0.1:${port}` },
      });
      return c;
    });
    created += 1;

    const start = end - 30 * DAY;
    const rawFrom = end - DAY;
    const minuteFrom = end - 14 * DAY;
    const lastMinute = Math.floor(end / MIN) * MIN; // the minute in progress is not rolled up yet
    const lastHour = Math.floor(end / HOUR) * HOUR;
    const samples: { checkId: string; at: Date; ok: boolean; latencyMs: number; statusCode: number | null; error: string }[] = [];
    const minutes = new Map<number, Bucket>();
    const hours = new Map<number, Bucket>();
    const windows = { d1: [0, 0], d7: [0, 0], d30: [0, 0] };
    const day1: number[] = [];
    let last = { ok: true, latencyMs: 0, at: start };
    for (let t = start; t < end; t += INTERVAL) {
      const p = probe(i + 1, spec.base, t, pattern);
      const add = (map: Map<number, Bucket>, key: number) => {
        let b = map.get(key);
        if (!b) map.set(key, (b = { count: 0, failures: 0, sum: 0, latencies: [] }));
        b.count += 1;
        // Latency figures are over successful probes only (lib/health/rollup.ts).
        if (p.ok) {
          b.sum += p.latencyMs;
          b.latencies.push(p.latencyMs);
        } else b.failures += 1;
      };
      if (t < lastHour) add(hours, Math.floor(t / HOUR) * HOUR);
      if (t >= minuteFrom && t < lastMinute) add(minutes, Math.floor(t / MIN) * MIN);
      if (t >= rawFrom) {
        samples.push({ checkId: check.id, at: new Date(t), ok: p.ok, latencyMs: p.latencyMs, statusCode: spec.kind === "HTTP" ? (p.ok ? 200 : 503) : null, error: p.ok ? "" : spec.kind === "HTTP" ? "HTTP 503 Service Unavailable" : "connect ECONNREFUSED" });
        if (p.ok) day1.push(p.latencyMs);
      }
      for (const [k, span] of [["d1", DAY], ["d7", 7 * DAY], ["d30", 30 * DAY]] as const) {
        if (t >= end - span) {
          windows[k][0]! += 1;
          if (p.ok) windows[k][1]! += 1;
        }
      }
      last = { ...p, at: t };
    }
    await insertHealthRollupsBulk(db, [...[...hours].map(([t, b]) => rollup(check.id, "HOUR", t, b)), ...[...minutes].map(([t, b]) => rollup(check.id, "MINUTE", t, b))]);
    await insertHealthSamplesBulk(db, samples);
    // A fraction 0..1, as the roll-up job writes them.
    const frac = (w: number[]) => (w[0] ? Math.round((w[1]! / w[0]) * 1e6) / 1e6 : null);
    await db.healthCheckState.create({
      data: {
        checkId: check.id,
        status: spec.paused ? "PENDING" : last.ok ? "UP" : "DOWN",
        statusSince: new Date(pattern.outages.at(-1)?.to ?? start),
        lastCheckedAt: new Date(last.at),
        lastOk: last.ok,
        lastLatencyMs: last.latencyMs,
        lastStatusCode: spec.kind === "HTTP" ? 200 : null,
        uptime24h: frac(windows.d1),
        uptime7d: frac(windows.d7),
        uptime30d: frac(windows.d30),
        p95LatencyMs24h: percentile(day1.sort((x, y) => x - y), 95),
        summarizedAt: new Date(end),
      },
    });

    // State changes: DOWN after the retry (two failed probes), UP at the first success.
    const events: { checkId: string; serviceId: string; fromStatus: "UP" | "DOWN"; toStatus: "UP" | "DOWN"; at: Date; reason: string; muted: boolean; maintenanceId: string | null }[] = [];
    if (pattern.maintenance && ops && !maintenanceId) {
      const m = await db.maintenanceWindow.create({
        data: { serviceId: sid, startsAt: new Date(pattern.maintenance.from - 5 * MIN), endsAt: new Date(pattern.maintenance.to + 5 * MIN), reason: pattern.maintenance.reason, createdById: ops.id, createdAt: new Date(pattern.maintenance.from - DAY) },
      });
      maintenanceId = m.id;
    }
    const spans = [...pattern.outages.map((o) => ({ ...o, muted: false })), ...(pattern.maintenance ? [{ ...pattern.maintenance, muted: true }] : [])];
    for (const s of spans) {
      const reason = spec.kind === "HTTP" ? "HTTP 503 Service Unavailable" : "connect ECONNREFUSED";
      const mid = s.muted ? maintenanceId : null;
      events.push({ checkId: check.id, serviceId: sid, fromStatus: "UP", toStatus: "DOWN", at: new Date(s.from + INTERVAL), reason, muted: s.muted, maintenanceId: mid });
      events.push({ checkId: check.id, serviceId: sid, fromStatus: "DOWN", toStatus: "UP", at: new Date(s.to), reason: "Probe succeeded again", muted: s.muted, maintenanceId: mid });
    }
    if (events.length) await db.healthEvent.createMany({ data: events });
  }
  return { checks: created };
}
