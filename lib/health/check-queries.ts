import { db } from "../db/client.ts";
import type { CheckConfig } from "./check-schemas.ts";
import { PROBE_SPEC_SELECT } from "./types.ts";

/** What a probe last found for a check (null fields: not probed yet). */
export type CheckStateView = {
  status: "PENDING" | "UP" | "DOWN";
  statusSince: Date;
  consecutiveFailures: number;
  lastCheckedAt: Date | null;
  lastOk: boolean | null;
  lastLatencyMs: number | null;
  lastStatusCode: number | null;
  lastError: string;
  certExpiresAt: Date | null;
};

export type CheckView = CheckConfig & {
  id: string;
  serviceId: string;
  paused: boolean;
  revision: number;
  updatedAt: Date;
  /** Null only for a check whose state row is missing (written outside lib/health/checks.ts). */
  state: CheckStateView | null;
};

const SELECT = {
  serviceId: true,
  paused: true,
  revision: true,
  updatedAt: true,
  name: true,
  ...PROBE_SPEC_SELECT,
  state: {
    select: {
      status: true,
      statusSince: true,
      consecutiveFailures: true,
      lastCheckedAt: true,
      lastOk: true,
      lastLatencyMs: true,
      lastStatusCode: true,
      lastError: true,
      certExpiresAt: true,
    },
  },
} as const;

type Row = Awaited<ReturnType<typeof db.healthCheck.findFirstOrThrow<{ select: typeof SELECT }>>>;

function view(row: Row): CheckView {
  return { ...row, method: row.method as CheckConfig["method"] };
}

/** A service's checks with what they last found, by name. A service has tens of checks, not thousands. */
export async function listServiceChecks(serviceId: string): Promise<CheckView[]> {
  const rows = await db.healthCheck.findMany({ where: { serviceId }, select: SELECT, orderBy: { name: "asc" } });
  return rows.map(view);
}

/** One check of a service (null when it does not exist or belongs to another service). */
export async function getServiceCheck(serviceId: string, checkId: string): Promise<CheckView | null> {
  const row = await db.healthCheck.findFirst({ where: { id: checkId, serviceId }, select: SELECT });
  return row ? view(row) : null;
}

/** The shown state of a check: paused wins over what the last probe found. */
export type DisplayState = "UP" | "DOWN" | "PENDING" | "PAUSED";

export function displayState(check: Pick<CheckView, "paused" | "state">): DisplayState {
  if (check.paused) return "PAUSED";
  return check.state?.status ?? "PENDING";
}

/**
 * Whether an HTTPS certificate needs attention: "expired", "expiring" (inside the check's warning
 * days), or null (fine, unknown, or warnings off).
 */
export function certificateWarning(
  check: Pick<CheckView, "kind" | "tlsExpiryWarnDays"> & { state: Pick<CheckStateView, "certExpiresAt"> | null },
  now = new Date(),
): "expired" | "expiring" | null {
  const expires = check.state?.certExpiresAt;
  if (check.kind !== "HTTP" || !expires) return null;
  if (expires.getTime() <= now.getTime()) return "expired";
  if (check.tlsExpiryWarnDays > 0 && expires.getTime() - now.getTime() <= check.tlsExpiryWarnDays * 86_400_000) return "expiring";
  return null;
}
