import type { Db } from "../db/client.ts";
import { HOUR_MS } from "./rollup.ts";

/*
 * Retention: raw samples, MINUTE and HOUR roll-ups older than their configured age are deleted in
 * chunks (each chunk a short statement, so neither SQLite's single writer nor MySQL's locks are held
 * long and the event loop gets a turn between chunks).
 *
 *   HEALTH_RAW_RETENTION_HOURS     raw samples           default 48
 *   HEALTH_MINUTE_RETENTION_DAYS   MINUTE roll-ups       default 14
 *   HEALTH_HOUR_RETENTION_DAYS     HOUR roll-ups         default 400
 *
 * Raw samples are only deleted once rolled up: never past the HOUR watermark, so a worker that was
 * down for days rolls the backlog up before it goes.
 */

export type RetentionConfig = { rawHours: number; minuteDays: number; hourDays: number };

const positive = (v: string | undefined, fallback: number) => {
  const n = Number(v);
  return v !== undefined && v !== "" && Number.isFinite(n) && n > 0 ? n : fallback;
};

export function retentionConfig(env: NodeJS.ProcessEnv = process.env): RetentionConfig {
  return {
    rawHours: positive(env.HEALTH_RAW_RETENTION_HOURS, 48),
    minuteDays: positive(env.HEALTH_MINUTE_RETENTION_DAYS, 14),
    hourDays: positive(env.HEALTH_HOUR_RETENTION_DAYS, 400),
  };
}

export type RetentionReport = { samples: number; minute: number; hour: number };

const CHUNK = 5_000;
const yieldLoop = () => new Promise<void>((r) => setImmediate(r));

/** Deletes in chunks of CHUNK rows, oldest first, until nothing older than `before` is left. */
async function deleteOlder(before: Date, oldest: () => Promise<Date[]>, remove: (upTo: Date) => Promise<number>): Promise<number> {
  let deleted = 0;
  for (;;) {
    // The CHUNK-th oldest row's time bounds the next chunk (at or before `before`).
    const times = await oldest();
    if (!times.length) return deleted;
    const last = times[times.length - 1]!;
    const upTo = times.length < CHUNK || last >= before ? before : new Date(last.getTime() + 1);
    const n = await remove(upTo);
    deleted += n;
    if (upTo === before || n === 0) return deleted;
    await yieldLoop();
  }
}

export async function applyRetention(db: Db, config = retentionConfig(), now = new Date()): Promise<RetentionReport> {
  const rawBefore = new Date(now.getTime() - config.rawHours * HOUR_MS);
  const newestHour = await db.healthRollup.findFirst({ where: { resolution: "HOUR" }, orderBy: { bucketStart: "desc" }, select: { bucketStart: true } });
  const rolledUpTo = newestHour ? new Date(newestHour.bucketStart.getTime() + HOUR_MS) : new Date(0);
  const samplesBefore = rawBefore < rolledUpTo ? rawBefore : rolledUpTo;
  const samples = await deleteOlder(
    samplesBefore,
    async () => (await db.healthSample.findMany({ where: { at: { lt: samplesBefore } }, orderBy: { at: "asc" }, take: CHUNK, select: { at: true } })).map((r) => r.at),
    async (upTo) => (await db.healthSample.deleteMany({ where: { at: { lt: upTo } } })).count,
  );
  const rollups = async (resolution: "MINUTE" | "HOUR", days: number) => {
    const before = new Date(now.getTime() - days * 24 * HOUR_MS);
    return deleteOlder(
      before,
      async () => (await db.healthRollup.findMany({ where: { resolution, bucketStart: { lt: before } }, orderBy: { bucketStart: "asc" }, take: CHUNK, select: { bucketStart: true } })).map((r) => r.bucketStart),
      async (upTo) => (await db.healthRollup.deleteMany({ where: { resolution, bucketStart: { lt: upTo } } })).count,
    );
  };
  return { samples, minute: await rollups("MINUTE", config.minuteDays), hour: await rollups("HOUR", config.hourDays) };
}
