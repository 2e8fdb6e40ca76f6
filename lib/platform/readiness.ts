import { db } from "../db/client.ts";
import { databaseMigrationState } from "../db/health.ts";
import { lifecycle } from "../observability/lifecycle.ts";

export type ReadinessCheck = { name: string; ok: boolean; detail?: string };
export type Readiness = { ready: boolean; checks: ReadinessCheck[] };

const TIMEOUT_MS = 2_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

/** Ready means: not draining, database answering, every shipped migration applied. */
export async function checkReadiness(): Promise<Readiness> {
  const checks: ReadinessCheck[] = [];
  checks.push(
    lifecycle().shuttingDown
      ? { name: "process", ok: false, detail: "shutting down" }
      : { name: "process", ok: true },
  );
  try {
    const state = await withTimeout(databaseMigrationState(db), TIMEOUT_MS);
    checks.push({ name: "database", ok: true });
    const problems = [
      ...state.pending.map((m) => `pending ${m}`),
      ...state.failed.map((m) => `failed ${m}`),
      ...state.modified.map((m) => `modified ${m}`),
    ];
    checks.push(
      problems.length
        ? { name: "migrations", ok: false, detail: problems.join(", ") }
        : { name: "migrations", ok: true },
    );
  } catch (err) {
    checks.push({ name: "database", ok: false, detail: err instanceof Error ? err.message : "unreachable" });
  }
  return { ready: checks.every((c) => c.ok), checks };
}
