import { z } from "zod";
import { resolveRange, ZRangeQuery, type TimeRange } from "../charts/range.ts";
import { db as defaultDb, type Db } from "../db/client.ts";
import { formatDeploymentNumber } from "../deployments/number.ts";
import { AppError } from "../errors.ts";
import { csvLine } from "../export/csv.ts";
import { healthSeries, type HealthSeries } from "./series.ts";

/** What a service's Availability page asks for: a range and optionally one check (all checks otherwise). */
export const ZServiceSeriesQuery = ZRangeQuery.and(
  z.object({
    check: z.string().trim().max(64).optional().transform((v) => v || undefined),
    format: z.enum(["json", "csv"]).optional().default("json"),
  }),
);
export type TServiceSeriesQuery = z.infer<typeof ZServiceSeriesQuery>;

export type ServiceCheckOption = { id: string; name: string; kind: "HTTP" | "TCP"; paused: boolean; intervalSeconds: number; status: "PENDING" | "UP" | "DOWN" };

type Scope = { service: { id: string; name: string }; checks: ServiceCheckOption[]; selected: ServiceCheckOption[] };

async function scopeOf(serviceId: string, checkId: string | undefined, db: Db): Promise<Scope> {
  const service = await db.service.findUnique({
    where: { id: serviceId },
    select: {
      id: true,
      name: true,
      healthChecks: {
        select: { id: true, name: true, kind: true, paused: true, intervalSeconds: true, state: { select: { status: true } } },
        orderBy: { name: "asc" },
      },
    },
  });
  if (!service) throw new AppError("not_found", "There is no such service.");
  const checks = service.healthChecks.map(({ state, ...c }) => ({ ...c, status: state?.status ?? "PENDING" }));
  const selected = checkId ? checks.filter((c) => c.id === checkId) : checks;
  if (checkId && !selected.length) throw new AppError("not_found", "This service has no such check. Choose one from the list.");
  return { service: { id: service.id, name: service.name }, checks, selected };
}

export type ServiceSeriesResult = {
  service: { id: string; name: string };
  checks: ServiceCheckOption[];
  checkId: string | null;
  range: { preset: TimeRange["preset"]; from: string; to: string };
  series: HealthSeries;
};

/** The Availability charts' data for a service (every check merged) or one of its checks. */
export async function serviceHealthSeries(
  serviceId: string,
  query: TServiceSeriesQuery,
  options: { now?: Date; db?: Db } = {},
): Promise<ServiceSeriesResult> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  const scope = await scopeOf(serviceId, query.check, db);
  const range = resolveRange(query, now);
  const minIntervalMs = Math.min(...scope.selected.map((c) => c.intervalSeconds * 1000), 3_600_000);
  const series = await healthSeries(
    scope.selected.map((c) => c.id),
    range,
    { minIntervalMs, now, db },
  );
  return {
    service: scope.service,
    checks: scope.checks,
    checkId: query.check ?? null,
    range: { preset: range.preset, from: range.from.toISOString(), to: range.to.toISOString() },
    series,
  };
}

/** The same data as CSV, one row per bucket (empty cells where a bucket had no probes). */
export function seriesCsv(result: ServiceSeriesResult): { filename: string; body: string } {
  const scope = result.checkId ? result.checks.find((c) => c.id === result.checkId)?.name ?? "check" : "all-checks";
  const safe = (s: string) => s.replace(/[^a-zA-Z0-9._-]+/g, "-");
  const lines = [csvLine(["bucket_start_utc", "availability_percent", "p50_ms", "p95_ms", "error_rate_percent", "probes"])];
  for (const p of result.series.points) {
    lines.push(csvLine([new Date(p.t).toISOString(), p.availability, p.p50, p.p95, p.errorRate, p.count]));
  }
  const day = result.range.to.slice(0, 10);
  return { filename: `health-${safe(result.service.name)}-${safe(scope)}-${result.range.preset}-${day}.csv`, body: lines.join("") };
}

export type HealthTimelineEvent = {
  id: string;
  checkId: string;
  checkName: string;
  from: "PENDING" | "UP" | "DOWN";
  to: "PENDING" | "UP" | "DOWN";
  at: string;
  reason: string;
  muted: boolean;
};

export type DeploymentMark = {
  number: string;
  version: string;
  status: string;
  startedAt: string;
  liveAt: string | null;
  finishedAt: string | null;
};

export type MaintenanceMark = { id: string; startsAt: string; endsAt: string; reason: string; cancelled: boolean };

export type ServiceHealthEvents = {
  range: { from: string; to: string };
  events: HealthTimelineEvent[];
  /** True when more state changes happened in the range than the list holds (the newest are kept). */
  truncated: boolean;
  deployments: DeploymentMark[];
  maintenance: MaintenanceMark[];
};

export const MAX_TIMELINE_EVENTS = 200;

/**
 * Everything that goes on the time axis and the state-change timeline in a range: the checks'
 * state changes (newest first), the service's deployments that overlap the range and its
 * maintenance windows (cancelled ones are kept only if they had started).
 */
export async function serviceHealthEvents(
  serviceId: string,
  query: TServiceSeriesQuery,
  options: { now?: Date; db?: Db } = {},
): Promise<ServiceHealthEvents> {
  const db = options.db ?? defaultDb;
  const scope = await scopeOf(serviceId, query.check, db);
  const { from, to } = resolveRange(query, options.now ?? new Date());
  const names = new Map(scope.checks.map((c) => [c.id, c.name]));
  const [events, deployments, windows] = await Promise.all([
    db.healthEvent.findMany({
      where: { serviceId, ...(query.check ? { checkId: query.check } : {}), at: { gte: from, lt: to } },
      orderBy: { at: "desc" },
      take: MAX_TIMELINE_EVENTS + 1,
    }),
    db.deployment.findMany({
      where: { serviceId, startedAt: { lt: to }, OR: [{ finishedAt: null }, { finishedAt: { gte: from } }] },
      orderBy: { startedAt: "asc" },
      take: 200,
      select: { number: true, version: true, status: true, startedAt: true, liveAt: true, finishedAt: true },
    }),
    db.maintenanceWindow.findMany({
      where: { serviceId, startsAt: { lt: to }, endsAt: { gt: from } },
      orderBy: { startsAt: "asc" },
      take: 200,
      select: { id: true, startsAt: true, endsAt: true, reason: true, cancelledAt: true },
    }),
  ]);
  return {
    range: { from: from.toISOString(), to: to.toISOString() },
    events: events.slice(0, MAX_TIMELINE_EVENTS).map((e) => ({
      id: e.id,
      checkId: e.checkId,
      checkName: names.get(e.checkId) ?? "(deleted check)",
      from: e.fromStatus,
      to: e.toStatus,
      at: e.at.toISOString(),
      reason: e.reason,
      muted: e.muted,
    })),
    truncated: events.length > MAX_TIMELINE_EVENTS,
    deployments: deployments.map((d) => ({
      number: formatDeploymentNumber(d.number),
      version: d.version,
      status: d.status,
      startedAt: d.startedAt.toISOString(),
      liveAt: d.liveAt?.toISOString() ?? null,
      finishedAt: d.finishedAt?.toISOString() ?? null,
    })),
    maintenance: windows
      // A window cancelled before it began never happened; one cancelled midway ended then.
      .filter((w) => !w.cancelledAt || w.cancelledAt > w.startsAt)
      .map((w) => ({
        id: w.id,
        startsAt: w.startsAt.toISOString(),
        endsAt: (w.cancelledAt && w.cancelledAt < w.endsAt ? w.cancelledAt : w.endsAt).toISOString(),
        reason: w.reason,
        cancelled: w.cancelledAt !== null,
      })),
  };
}
