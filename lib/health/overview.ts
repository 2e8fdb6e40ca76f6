import { z } from "zod";
import { db as defaultDb, type Db } from "../db/client.ts";
import { lastDeployments, serviceCheckSummaries, type ServiceCheckSummaryRow } from "../db/health-queries.ts";
import { ENVIRONMENTS, type Environment } from "../services/schemas.ts";

/**
 * The health overview: every service with its worst current state, check counts, uptime and p95
 * from the summaries the roll-up job keeps in HealthCheckState (never from samples, so the page
 * costs the same at 10 checks or 10,000), and its last deployment.
 */
export const ZHealthOverviewFilter = z.object({
  environment: z.enum(ENVIRONMENTS).optional().catch(undefined),
  team: z.string().trim().max(100).optional().catch(undefined),
  /** 1-based page of OVERVIEW_PAGE_SIZE services, worst first. */
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type THealthOverviewFilter = z.infer<typeof ZHealthOverviewFilter>;

/** Worst first: a service is as bad as its worst active check. */
export type ServiceHealthState = "DOWN" | "PENDING" | "UP" | "PAUSED" | "NO_CHECKS";

export type OverviewService = {
  id: string;
  name: string;
  environment: Environment;
  ownerTeam: string;
  tier: number;
  state: ServiceHealthState;
  checks: { total: number; up: number; down: number; pending: number; paused: number };
  /** Percent 0..100 (mean over the service's checks), null before the first summary. */
  uptime24h: number | null;
  uptime7d: number | null;
  uptime30d: number | null;
  /** The largest p95 of the service's checks over 24 h, ms. */
  p95LatencyMs24h: number | null;
  lastCheckedAt: string | null;
  lastDeployment: { number: number; status: string; version: string; startedAt: string; finishedAt: string | null } | null;
};

/** Services per page: a page of the worst 100 renders fast and is what people read; totals cover all. */
export const OVERVIEW_PAGE_SIZE = 100;

export type HealthOverview = {
  /** This page's services, worst state first. */
  services: OverviewService[];
  /** Services matching the filter (all pages). */
  matching: number;
  page: number;
  pageCount: number;
  pageSize: number;
  totals: {
    services: Record<ServiceHealthState, number>;
    checks: { total: number; up: number; down: number; pending: number; paused: number };
  };
  teams: string[];
  generatedAt: string;
};

/**
 * HealthCheckState keeps uptime as a fraction 0..1 (the roll-up job's summaries, lib/health/rollup.ts);
 * pages show percent, converted and rounded here, the one place the overview shapes them.
 */
export function uptimePercent(fraction: number | null): number | null {
  return fraction === null ? null : Math.round(fraction * 100_000) / 1000;
}

export function serviceState(s: Pick<ServiceCheckSummaryRow, "checks" | "paused" | "down" | "pending"> | undefined): ServiceHealthState {
  if (!s || s.checks === 0) return "NO_CHECKS";
  if (s.paused === s.checks) return "PAUSED";
  if (s.down > 0) return "DOWN";
  if (s.pending > 0) return "PENDING";
  return "UP";
}

const STATE_ORDER: Record<ServiceHealthState, number> = { DOWN: 0, PENDING: 1, UP: 2, PAUSED: 3, NO_CHECKS: 4 };

export async function healthOverview(filter: THealthOverviewFilter = {}, db: Db = defaultDb): Promise<HealthOverview> {
  const [services, summaries, deployments, teams] = await Promise.all([
    db.service.findMany({
      where: { ...(filter.environment ? { environment: filter.environment } : {}), ...(filter.team ? { ownerTeam: filter.team } : {}) },
      select: { id: true, name: true, environment: true, ownerTeam: true, tier: true },
    }),
    serviceCheckSummaries(db),
    lastDeployments(db),
    db.service.findMany({ distinct: ["ownerTeam"], select: { ownerTeam: true }, orderBy: { ownerTeam: "asc" } }),
  ]);
  const bySummary = new Map(summaries.map((s) => [s.serviceId, s]));
  const totals: HealthOverview["totals"] = {
    services: { DOWN: 0, PENDING: 0, UP: 0, PAUSED: 0, NO_CHECKS: 0 },
    checks: { total: 0, up: 0, down: 0, pending: 0, paused: 0 },
  };
  const rows: OverviewService[] = services.map((svc) => {
    const s = bySummary.get(svc.id);
    const state = serviceState(s);
    totals.services[state] += 1;
    const checks = { total: s?.checks ?? 0, up: s?.up ?? 0, down: s?.down ?? 0, pending: s?.pending ?? 0, paused: s?.paused ?? 0 };
    for (const k of ["total", "up", "down", "pending", "paused"] as const) totals.checks[k] += checks[k];
    const d = deployments.get(svc.id);
    return {
      ...svc,
      state,
      checks,
      uptime24h: uptimePercent(s?.uptime24h ?? null),
      uptime7d: uptimePercent(s?.uptime7d ?? null),
      uptime30d: uptimePercent(s?.uptime30d ?? null),
      p95LatencyMs24h: s?.p95LatencyMs24h ?? null,
      lastCheckedAt: s?.lastCheckedAt?.toISOString() ?? null,
      lastDeployment: d
        ? { number: d.number, status: d.status, version: d.version, startedAt: d.startedAt.toISOString(), finishedAt: d.finishedAt?.toISOString() ?? null }
        : null,
    };
  });
  rows.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.tier - b.tier || a.name.localeCompare(b.name) || a.environment.localeCompare(b.environment));
  const pageCount = Math.max(1, Math.ceil(rows.length / OVERVIEW_PAGE_SIZE));
  const page = Math.min(filter.page ?? 1, pageCount);
  return {
    services: rows.slice((page - 1) * OVERVIEW_PAGE_SIZE, page * OVERVIEW_PAGE_SIZE),
    matching: rows.length,
    page,
    pageCount,
    pageSize: OVERVIEW_PAGE_SIZE,
    totals,
    teams: teams.map((t) => t.ownerTeam),
    generatedAt: new Date().toISOString(),
  };
}

export type ServiceHealthSummary = Pick<OverviewService, "state" | "checks" | "uptime24h" | "p95LatencyMs24h">;

/** One service's line of the overview (the service page's Health card). */
export async function serviceHealthSummary(serviceId: string, db: Db = defaultDb): Promise<ServiceHealthSummary> {
  const checks = await db.healthCheck.findMany({
    where: { serviceId },
    select: { paused: true, state: { select: { status: true, uptime24h: true, p95LatencyMs24h: true } } },
  });
  const active = checks.filter((c) => !c.paused);
  const counts = {
    total: checks.length,
    paused: checks.length - active.length,
    up: active.filter((c) => c.state?.status === "UP").length,
    down: active.filter((c) => c.state?.status === "DOWN").length,
    pending: active.filter((c) => !c.state || c.state.status === "PENDING").length,
  };
  const uptimes = checks.map((c) => c.state?.uptime24h).filter((v): v is number => typeof v === "number");
  const p95s = checks.map((c) => c.state?.p95LatencyMs24h).filter((v): v is number => typeof v === "number");
  return {
    state: serviceState({ checks: counts.total, paused: counts.paused, down: counts.down, pending: counts.pending }),
    checks: counts,
    uptime24h: uptimes.length ? uptimePercent(uptimes.reduce((a, b) => a + b, 0) / uptimes.length) : null,
    p95LatencyMs24h: p95s.length ? Math.max(...p95s) : null,
  };
}
