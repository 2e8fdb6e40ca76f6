import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import { db } from "./client.ts";
import { rateLimiterStore } from "./rate-limiter-store.ts";

// rate-limiter-flexible's Prisma store, through our driver adapters, on whichever database the
// suite runs (SQLite, or MariaDB with TEST_DATABASE_URL).
function limiter(points: number, duration = 60) {
  return new RateLimiterPrisma({
    storeClient: rateLimiterStore(db),
    tableName: "RateLimiterFlexible",
    keyPrefix: `t${Math.random().toString(36).slice(2, 8)}`,
    points,
    duration,
    clearExpiredByTimeout: false,
  });
}

async function settle(p: Promise<RateLimiterRes>): Promise<{ over: boolean; consumed: number }> {
  try {
    return { over: false, consumed: (await p).consumedPoints };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { over: true, consumed: err.consumedPoints };
    throw err;
  }
}

describe("RateLimiterPrisma on our database", () => {
  it("counts attempts and refuses once the points are used up, saying how long to wait", async () => {
    const rl = limiter(3);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await settle(rl.consume("alice")));
    expect(results.map((r) => r.over)).toEqual([false, false, false, true]);
    const res = await rl.get("alice");
    expect(res?.consumedPoints).toBe(4);
    expect(res?.msBeforeNext).toBeGreaterThan(55_000);
    expect(res?.msBeforeNext).toBeLessThanOrEqual(60_000);
  });

  it("counts every one of many simultaneous first attempts on a new key", async () => {
    const rl = limiter(100);
    const results = await Promise.all(Array.from({ length: 12 }, () => settle(rl.consume("burst"))));
    expect(results.every((r) => !r.over)).toBe(true);
    expect((await rl.get("burst"))?.consumedPoints).toBe(12);
  });

  it("lets exactly `points` of a simultaneous burst through", async () => {
    const rl = limiter(5);
    const results = await Promise.all(Array.from({ length: 10 }, () => settle(rl.consume("race"))));
    expect((await rl.get("race"))?.consumedPoints).toBe(10);
    // Counts are read back after each increment; on MySQL concurrent readers may see the same
    // value, but never more than `points` are allowed in total.
    expect(results.filter((r) => !r.over).length).toBeLessThanOrEqual(5);
  });

  it("blocks a key for a given time, rewards and deletes", async () => {
    const rl = limiter(5);
    await rl.consume("bob");
    await rl.block("bob", 120);
    const blocked = await settle(rl.consume("bob"));
    expect(blocked.over).toBe(true);
    expect((await rl.get("bob"))?.msBeforeNext).toBeGreaterThan(115_000);
    expect(await rl.delete("bob")).toBe(true);
    expect(await rl.get("bob")).toBeNull();
    await rl.consume("carol", 2);
    expect((await rl.reward("carol", 1)).consumedPoints).toBe(1);
  });

  it("starts a new window once the old one has expired", async () => {
    const rl = limiter(2, 60);
    await rl.consume("dave", 2);
    await db.rateLimiterFlexible.updateMany({
      where: { key: { endsWith: ":dave" } },
      data: { expire: new Date(Date.now() - 1000) },
    });
    expect(await rl.get("dave")).toBeNull();
    expect((await rl.consume("dave")).consumedPoints).toBe(1);
  });
});
