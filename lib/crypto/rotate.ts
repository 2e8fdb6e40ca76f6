import { recordAudit, type AuditActor, type RequestContext } from "../audit/record.ts";
import type { Db, Prisma } from "../db/client.ts";
import { openSecret, sealSecret } from "./secret-box.ts";

type Key = { id: string; key: Buffer };
type Tx = Prisma.TransactionClient;

/** One database column holding sealSecret() output. */
type SealedColumn = {
  name: string;
  /** Rows with a value, id > afterId, in id order. */
  page(db: Db, afterId: string, take: number): Promise<{ id: string; value: string }[]>;
  /** Compare-and-set: false when the value changed since it was read (e.g. MFA re-enrolled). */
  replace(tx: Tx, id: string, from: string, to: string): Promise<boolean>;
};

/**
 * EVERY column that holds sealed secrets. A new encrypted column (channel credentials, ...) is
 * added here and `npm run keys:rotate` covers it.
 */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  {
    name: "User.totpSecretEnc",
    page: async (db, afterId, take) =>
      (
        await db.user.findMany({
          where: { id: { gt: afterId }, totpSecretEnc: { not: null } },
          select: { id: true, totpSecretEnc: true },
          orderBy: { id: "asc" },
          take,
        })
      ).map((r) => ({ id: r.id, value: r.totpSecretEnc ?? "" })),
    replace: async (tx, id, from, to) =>
      (await tx.user.updateMany({ where: { id, totpSecretEnc: from }, data: { totpSecretEnc: to } })).count === 1,
  },
  {
    // The webhook deployment driver's HMAC secret ("" when the target has none); keyed by serviceId.
    name: "DeploymentTarget.webhookSecretSealed",
    page: async (db, afterId, take) =>
      (
        await db.deploymentTarget.findMany({
          where: { serviceId: { gt: afterId }, webhookSecretSealed: { not: "" } },
          select: { serviceId: true, webhookSecretSealed: true },
          orderBy: { serviceId: "asc" },
          take,
        })
      ).map((r) => ({ id: r.serviceId, value: r.webhookSecretSealed })),
    replace: async (tx, id, from, to) =>
      (await tx.deploymentTarget.updateMany({ where: { serviceId: id, webhookSecretSealed: from }, data: { webhookSecretSealed: to } })).count === 1,
  },
  {
    // The Prometheus data source's basic-auth password or bearer token (lib/metrics/datasource.ts):
    // the Setting row's JSON field "secretSealed"; the row is replaced only if its JSON is unchanged.
    name: "Setting.prometheus_datasource.secretSealed",
    page: async (db, afterId, take) =>
      (await db.setting.findMany({ where: { key: { gt: afterId, in: [PROMETHEUS_SETTING] } }, orderBy: { key: "asc" }, take }))
        .map((r) => ({ id: r.key, value: sealedInJson(r.value) }))
        .filter((r) => r.value !== ""),
    replace: async (tx, id, from, to) => {
      const row = await tx.setting.findUnique({ where: { key: id } });
      if (!row || sealedInJson(row.value) !== from) return false;
      const value = JSON.stringify({ ...(JSON.parse(row.value) as Record<string, unknown>), secretSealed: to });
      return (await tx.setting.updateMany({ where: { key: id, value: row.value }, data: { value } })).count === 1;
    },
  },
];

const PROMETHEUS_SETTING = "prometheus_datasource";

function sealedInJson(json: string): string {
  try {
    const v = (JSON.parse(json) as { secretSealed?: unknown }).secretSealed;
    return typeof v === "string" ? v : "";
  } catch {
    return "";
  }
}

/** The key id a sealed value names ("v1.<keyId>.…"), or null if it is not a sealed value. */
export function sealedKeyId(sealed: string): string | null {
  const [version, keyId] = sealed.split(".", 3);
  return version === "v1" && keyId ? keyId : null;
}

export type ColumnRotation = {
  column: string;
  /** Values read. */
  checked: number;
  rotated: number;
  alreadyCurrent: number;
  /** Sealed under a key that is not configured, or damaged: left as they are. */
  unreadable: number;
  /** Changed by someone else between read and write: left to their new value. */
  skipped: number;
};

/**
 * Re-encrypts every sealed value that is not under the FIRST configured key with that key. In
 * batches; each batch's writes and its keys.rotated event (counts only, never values) commit
 * together. Idempotent: a second run finds nothing to do and records nothing. Values it cannot open
 * are counted and left alone, so one bad row does not stop the rotation.
 */
export async function rotateSealedSecrets(
  db: Db,
  options: {
    keys: Key[];
    actor: AuditActor;
    context: RequestContext;
    batchSize?: number;
    columns?: readonly SealedColumn[];
    onBatch?: (progress: ColumnRotation) => void;
  },
): Promise<ColumnRotation[]> {
  const current = options.keys[0];
  if (!current) throw new Error("no encryption key configured");
  const batchSize = options.batchSize ?? 200;
  const results: ColumnRotation[] = [];
  for (const column of options.columns ?? SEALED_COLUMNS) {
    const total: ColumnRotation = { column: column.name, checked: 0, rotated: 0, alreadyCurrent: 0, unreadable: 0, skipped: 0 };
    let afterId = "";
    for (;;) {
      const rows = await column.page(db, afterId, batchSize);
      if (!rows.length) break;
      afterId = rows[rows.length - 1]!.id;
      total.checked += rows.length;
      const updates: { id: string; from: string; to: string; fromKey: string }[] = [];
      for (const row of rows) {
        const keyId = sealedKeyId(row.value);
        if (keyId === current.id) {
          total.alreadyCurrent += 1;
          continue;
        }
        try {
          updates.push({ id: row.id, from: row.value, to: sealSecret(openSecret(row.value, options.keys), [current]), fromKey: keyId ?? "?" });
        } catch {
          total.unreadable += 1;
        }
      }
      if (updates.length) {
        const rotated = await db.$transaction(async (tx) => {
          const fromKeys: Record<string, number> = {};
          for (const u of updates) {
            if (await column.replace(tx, u.id, u.from, u.to)) fromKeys[u.fromKey] = (fromKeys[u.fromKey] ?? 0) + 1;
          }
          const count = Object.values(fromKeys).reduce((a, b) => a + b, 0);
          if (count) {
            await recordAudit(tx, {
              action: "keys.rotated",
              actor: options.actor,
              context: options.context,
              changes: { column: column.name, rotated: count, toKey: current.id, fromKeys },
            });
          }
          return count;
        }, { timeout: 60_000 });
        total.rotated += rotated;
        total.skipped += updates.length - rotated;
      }
      options.onBatch?.({ ...total });
      if (rows.length < batchSize) break;
    }
    results.push(total);
  }
  return results;
}
