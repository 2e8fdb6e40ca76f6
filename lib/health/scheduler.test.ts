import { describe, expect, it } from "vitest";
import { nextSlot, phaseOf, ProbeScheduler, type ScheduledResult } from "./scheduler.ts";
import { applyResult } from "./state.ts";
import type { ProbeResult, ProbeSpec } from "./types.ts";

/*
 * The schedule without a network: phases spread by id, the grid, the bounded pool, and the state
 * machine's retries.
 */

const spec = (id: string, intervalSeconds = 1): ProbeSpec => ({
  id,
  kind: "TCP",
  url: "",
  method: "GET",
  expectedStatusMin: 200,
  expectedStatusMax: 399,
  keyword: "",
  tlsExpiryWarnDays: 0,
  ignoreTlsErrors: false,
  host: "127.0.0.1",
  port: 1,
  timeoutMs: 100,
  intervalSeconds,
  retries: 0,
});

const fakeProbe = (ms: number, counter?: { now: number; max: number }) => async (): Promise<ProbeResult> => {
  if (counter) counter.max = Math.max(counter.max, ++counter.now);
  await new Promise((r) => setTimeout(r, ms));
  if (counter) counter.now--;
  return { at: new Date(), ok: true, latencyMs: ms, statusCode: null, error: "", certExpiresAt: null };
};

describe("the schedule", () => {
  it("spreads 10,000 check ids evenly over the interval", () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(phaseOf(`c${i}x${(i * 7919).toString(36)}`) * 10)]!++;
    for (const b of buckets) expect(Math.abs(b - 1_000)).toBeLessThan(150);
  });

  it("puts slots on a fixed grid: phase + k x interval", () => {
    expect(nextSlot(10_250, 1_000, 300)).toBe(10_300);
    expect(nextSlot(10_300, 1_000, 300)).toBe(10_300);
    expect(nextSlot(10_301, 1_000, 300)).toBe(11_300);
  });

  it("never runs more probes at once than the pool allows, and skips slots a check is still busy in", async () => {
    const counter = { now: 0, max: 0 };
    const results: ScheduledResult[] = [];
    const s = new ProbeScheduler({ concurrency: 5, onResult: (r) => results.push(r), probe: fakeProbe(1_300, counter) });
    s.upsert(Array.from({ length: 20 }, (_, i) => spec(`k${i}`, 1)));
    await new Promise((r) => setTimeout(r, 3_000));
    const stats = s.stats();
    await s.stop();
    expect(counter.max).toBe(5);
    expect(stats.skipped).toBeGreaterThan(0);
    // No check ran twice at once: each check's results are at least a probe's length apart.
    const byCheck = new Map<string, number[]>();
    for (const r of results) byCheck.set(r.checkId, [...(byCheck.get(r.checkId) ?? []), r.scheduledAt]);
    for (const times of byCheck.values()) for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1_000);
  });

  it("keeps a check's place on its grid when it is edited, and forgets removed checks", async () => {
    const results: ScheduledResult[] = [];
    const s = new ProbeScheduler({ concurrency: 10, onResult: (r) => results.push(r), probe: fakeProbe(5) });
    s.upsert([spec("a", 1), spec("b", 1)]);
    await new Promise((r) => setTimeout(r, 1_100));
    s.upsert([{ ...spec("a", 1), timeoutMs: 200 }]);
    s.remove(["b"]);
    const before = results.filter((r) => r.checkId === "b").length;
    await new Promise((r) => setTimeout(r, 2_100));
    await s.stop();
    const a = results.filter((r) => r.checkId === "a").map((r) => r.scheduledAt);
    const phase = phaseOf("a") * 1000;
    for (const t of a) expect((((t - phase) % 1000) + 1000) % 1000).toBeCloseTo(0, 3);
    expect(a.length).toBeGreaterThanOrEqual(3);
    expect(results.filter((r) => r.checkId === "b").length).toBe(before);
  });
});

describe("the state machine", () => {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  it("goes DOWN when failures in a row exceed the retries, UP on the first success", () => {
    let st = { status: "UP" as const as "UP" | "DOWN" | "PENDING", consecutiveFailures: 0, statusSince: t(0) };
    const seen: string[] = [];
    for (const [i, ok] of [false, false, false, true].entries()) {
      const r = applyResult(st, ok, t(i + 1), 2);
      st = r.state;
      seen.push(`${st.status}/${st.consecutiveFailures}${r.changed ? "!" : ""}`);
    }
    expect(seen).toEqual(["UP/1", "UP/2", "DOWN/3!", "UP/0!"]);
    expect(st.statusSince).toEqual(t(4));
    expect(applyResult({ status: "PENDING", consecutiveFailures: 0, statusSince: t(0) }, false, t(1), 0).changed).toEqual({ from: "PENDING", to: "DOWN" });
    expect(applyResult({ status: "PENDING", consecutiveFailures: 0, statusSince: t(0) }, true, t(1), 3).changed).toEqual({ from: "PENDING", to: "UP" });
  });
});
