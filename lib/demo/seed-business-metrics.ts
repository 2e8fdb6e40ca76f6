import { upsertMetricPoints, upsertMetricSeries, type PointRow } from "../db/business-metrics.ts";
import { databaseUrlOf, type Db } from "../db/client.ts";
import { providerOf } from "../db/url.ts";
import { canonicalLabels } from "../metrics/business.ts";

const HOUR = 3_600_000;
const FIVE_MINUTES = 300_000;

type DemoSeries = { name: string; labels: Record<string, string>; perHour: number };

/** Rates (per hour), so the hourly history and the 5-minute last day read on one scale. */
const DEMO_SERIES: DemoSeries[] = [
  { name: "orders_placed", labels: { region: "eu" }, perHour: 120 },
  { name: "orders_placed", labels: { region: "us" }, perHour: 85 },
  { name: "orders_placed", labels: { region: "apac" }, perHour: 40 },
  { name: "checkout_revenue_eur", labels: {}, perHour: 14_500 },
  { name: "signups", labels: {}, perHour: 22 },
];

/** A repeatable wobble in [-1, 1] for a time and a series: the same point always gets the same value. */
function noise(t: number, seed: number): number {
  const x = Math.sin((t / FIVE_MINUTES) * 12.9898 + seed * 78.233) * 43_758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

function valueAt(s: DemoSeries, seed: number, t: number, outageStart: number): number {
  const d = new Date(t);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  // Busy afternoons and evenings, quiet nights; weekends a little busier.
  const daily = 0.55 + 0.45 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
  const weekly = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1.15 : 1;
  // A payment-provider outage three days ago halves European orders and revenue for two hours.
  const hit = s.labels.region === "eu" || s.name === "checkout_revenue_eur";
  const outage = hit && t >= outageStart && t < outageStart + 2 * HOUR ? 0.5 : 1;
  const value = s.perHour * daily * weekly * outage * (1 + 0.08 * noise(t, seed));
  return Math.round(value * 100) / 100;
}

/**
 * Demo business metrics: orders by region, checkout revenue and sign-ups, 30 days hourly plus the
 * last day at 5-minute resolution, up to now. Idempotent: values are a function of the timestamp,
 * written with the same upsert as a push, so a second run changes nothing and a later run only
 * fills the hours since (no audit events: nobody pushed them).
 */
export async function seedDemoBusinessMetrics(db: Db, now = new Date()): Promise<{ series: number; points: number }> {
  const provider = providerOf(databaseUrlOf(db));
  const lastHour = Math.floor(now.getTime() / HOUR) * HOUR;
  const lastFive = Math.floor(now.getTime() / FIVE_MINUTES) * FIVE_MINUTES;
  const outageStart = Math.floor(now.getTime() / (24 * HOUR)) * 24 * HOUR - 3 * 24 * HOUR + 14 * HOUR; // 3 days ago, 14:00 UTC
  const times: number[] = [];
  for (let t = lastHour - 30 * 24 * HOUR; t < lastFive - 24 * HOUR; t += HOUR) times.push(t);
  for (let t = lastFive - 24 * HOUR; t <= lastFive; t += FIVE_MINUTES) times.push(t);

  const rows = DEMO_SERIES.map((s) => ({ s, labels: canonicalLabels(s.labels) }));
  let points = 0;
  await db.$transaction(
    async (tx) => {
      await upsertMetricSeries(
        tx,
        provider,
        rows.map(({ s, labels }) => ({ name: s.name, labels: labels.json, labelsHash: labels.hash, lastAt: new Date(lastFive) })),
        now,
      );
      const ids = await tx.metricSeries.findMany({
        where: { name: { in: DEMO_SERIES.map((s) => s.name) } },
        select: { id: true, name: true, labelsHash: true },
      });
      const batch: PointRow[] = [];
      rows.forEach(({ s, labels }, seed) => {
        const id = ids.find((r) => r.name === s.name && r.labelsHash === labels.hash)!.id;
        for (const t of times) batch.push({ seriesId: id, at: new Date(t), value: valueAt(s, seed, t, outageStart) });
      });
      await upsertMetricPoints(tx, provider, batch);
      points = batch.length;
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
  return { series: rows.length, points };
}
