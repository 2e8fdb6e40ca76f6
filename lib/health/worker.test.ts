import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { phaseOf } from "./scheduler.ts";
import { kickHealthScheduler } from "./scheduler-hook.ts";
import { makeCheck, makeHealthService, startTarget, waitFor, type Target } from "./testing.ts";
import { startHealthWorker, type HealthWorker } from "./worker.ts";

/*
 * The health worker against local servers that go up, down and slow, on a real database: the
 * schedule (no drift, no overlap, paused, reload), the state machine with retries and recovery,
 * HealthEvent rows, maintenance muting. 1-second intervals keep it short.
 */

let target: Target;
let worker: HealthWorker | null = null;

beforeAll(async () => {
  target = await startTarget(3_000);
});
afterAll(async () => {
  await target.close();
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
  // Each test starts from no checks (cascade removes samples, states, events).
  await db.healthCheck.deleteMany({});
  await db.workerLease.deleteMany({});
});

const start = () => (worker = startHealthWorker({ concurrency: 16, leaseMs: 3_000, reloadMs: 200, flushMs: 100, maintenanceEveryMs: 600_000 }));
const events = (checkId: string) => db.healthEvent.findMany({ where: { checkId }, orderBy: { at: "asc" } });

describe("the probe scheduler", () => {
  it("probes each check on its own fixed grid (interval + phase by id) with no drift over several intervals", async () => {
    const service = await makeHealthService();
    const checks = await Promise.all(["a", "b", "c"].map((n) => makeCheck({ serviceId: service.id, name: n, url: `${target.url}/grid-${n}` })));
    start();
    await new Promise((r) => setTimeout(r, 5_300));
    for (const c of checks) {
      const arrivals = target.arrivals(`/grid-${c.name}`);
      expect(arrivals.length).toBeGreaterThanOrEqual(4);
      const phase = phaseOf(c.id) * 1000;
      // Every arrival is shortly after a grid slot (the bound allows for this shared machine's
      // hiccups): lateness does not accumulate, so the mean gap is the interval.
      for (const t of arrivals) {
        const late = (((t - phase) % 1000) + 1000) % 1000;
        expect(late).toBeLessThan(250);
      }
      const meanGap = (arrivals[arrivals.length - 1]! - arrivals[0]!) / (arrivals.length - 1);
      expect(Math.abs(meanGap - 1000)).toBeLessThan(40);
    }
    // The results are stored with the state.
    const state = await db.healthCheckState.findUniqueOrThrow({ where: { checkId: checks[0]!.id } });
    expect(state).toMatchObject({ status: "UP", lastOk: true, lastStatusCode: 200, consecutiveFailures: 0 });
    expect(await db.healthSample.count({ where: { checkId: checks[0]!.id } })).toBeGreaterThanOrEqual(3);
  });

  it("goes DOWN only after more failures in a row than its retries, and UP again on the first success, with an event for each change", async () => {
    const service = await makeHealthService();
    target.set("/flaky", "up");
    const check = await makeCheck({ serviceId: service.id, name: "flaky", url: `${target.url}/flaky`, retries: 2 });
    start();
    await waitFor("UP", async () => (await events(check.id)).length === 1);
    target.set("/flaky", "down");
    // Two failures are retries: still UP.
    await waitFor("two failures", async () => (await db.healthCheckState.findUnique({ where: { checkId: check.id } }))?.consecutiveFailures === 2);
    expect((await db.healthCheckState.findUniqueOrThrow({ where: { checkId: check.id } })).status).toBe("UP");
    await waitFor("DOWN", async () => (await db.healthCheckState.findUnique({ where: { checkId: check.id } }))?.status === "DOWN");
    target.set("/flaky", "up");
    await waitFor("UP again", async () => (await db.healthCheckState.findUnique({ where: { checkId: check.id } }))?.status === "UP");
    await worker!.engine()!.flush();
    const list = await events(check.id);
    expect(list.map((e) => [e.fromStatus, e.toStatus, e.muted])).toEqual([
      ["PENDING", "UP", false],
      ["UP", "DOWN", false],
      ["DOWN", "UP", false],
    ]);
    expect(list[1]!.reason).toBe("HTTP 503 is outside the expected 200-399.");
    expect(list[1]!.serviceId).toBe(service.id);
    const failures = await db.healthSample.count({ where: { checkId: check.id, ok: false } });
    expect(failures).toBeGreaterThanOrEqual(3);
  });

  it("counts a slow answer past the timeout as a failure, and a closed TCP port as DOWN", async () => {
    const service = await makeHealthService();
    target.set("/slow", "slow");
    const slow = await makeCheck({ serviceId: service.id, name: "slow", url: `${target.url}/slow`, timeoutMs: 300 });
    const closed = await freePort();
    const tcp = await makeCheck({ serviceId: service.id, name: "tcp", kind: "TCP", host: "127.0.0.1", port: closed });
    start();
    const s = await waitFor("slow DOWN", async () => {
      const st = await db.healthCheckState.findUnique({ where: { checkId: slow.id } });
      return st?.status === "DOWN" && st;
    });
    expect(s.lastError).toBe("No answer within 300 ms.");
    expect(s.lastLatencyMs).toBeGreaterThanOrEqual(299);
    const t = await waitFor("tcp DOWN", async () => {
      const st = await db.healthCheckState.findUnique({ where: { checkId: tcp.id } });
      return st?.status === "DOWN" && st;
    });
    expect(t.lastError).toBe("Connection refused.");
    expect((await events(tcp.id)).map((e) => e.toStatus)).toEqual(["DOWN"]);
  });

  it("mutes state changes inside an active maintenance window of the service, and not a cancelled one", async () => {
    const service = await makeHealthService();
    const other = await makeHealthService();
    const user = await db.user.findFirst();
    const createdById = user?.id ?? "someone";
    const now = Date.now();
    const window = await db.maintenanceWindow.create({ data: { serviceId: service.id, startsAt: new Date(now - 60_000), endsAt: new Date(now + 600_000), reason: "db upgrade", createdById } });
    await db.maintenanceWindow.create({ data: { serviceId: other.id, startsAt: new Date(now - 60_000), endsAt: new Date(now + 600_000), reason: "called off", createdById, cancelledAt: new Date() } });
    target.set("/maint", "down");
    target.set("/other", "down");
    const inside = await makeCheck({ serviceId: service.id, name: "maint", url: `${target.url}/maint` });
    const outside = await makeCheck({ serviceId: other.id, name: "other", url: `${target.url}/other` });
    start();
    await waitFor("both DOWN", async () => (await db.healthEvent.count({ where: { checkId: { in: [inside.id, outside.id] } } })) === 2);
    const [a] = await events(inside.id);
    const [b] = await events(outside.id);
    expect(a).toMatchObject({ toStatus: "DOWN", muted: true, maintenanceId: window.id });
    expect(b).toMatchObject({ toStatus: "DOWN", muted: false, maintenanceId: null });
  });

  it("skips paused checks, picks up new and resumed checks on a kick, and never overlaps a probe with itself", async () => {
    const service = await makeHealthService();
    target.set("/overlap", "slow"); // answers after 3 s with a 2.5 s timeout on a 1 s interval
    const paused = await makeCheck({ serviceId: service.id, name: "paused", url: `${target.url}/paused`, paused: true });
    const overlap = await makeCheck({ serviceId: service.id, name: "overlap", url: `${target.url}/overlap`, timeoutMs: 2_500 });
    start();
    await waitFor("the worker", async () => worker!.active());
    const added = await makeCheck({ serviceId: service.id, name: "added", url: `${target.url}/added` });
    kickHealthScheduler();
    await waitFor("the new check probed", async () => target.arrivals("/added").length > 0, 3_000);
    await new Promise((r) => setTimeout(r, 3_500));
    expect(target.arrivals("/paused")).toEqual([]);
    // A probe takes 2.5 s: the slots while it runs are skipped, so at most one starts per 2.5 s (+ grid).
    const starts = target.arrivals("/overlap");
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(2_400);
    expect(added.id).toBeTruthy();
    await db.healthCheck.update({ where: { id: paused.id }, data: { paused: false } });
    kickHealthScheduler();
    await waitFor("the resumed check probed", async () => target.arrivals("/paused").length > 0, 3_000);
    expect(overlap.id).toBeTruthy();
  });

  it("stops probing a deleted check and keeps storing the others", async () => {
    const service = await makeHealthService();
    const gone = await makeCheck({ serviceId: service.id, name: "gone", url: `${target.url}/gone` });
    const stays = await makeCheck({ serviceId: service.id, name: "stays", url: `${target.url}/stays` });
    start();
    await waitFor("first samples", async () => (await db.healthSample.count({ where: { checkId: gone.id } })) > 0);
    await db.healthCheck.delete({ where: { id: gone.id } });
    await new Promise((r) => setTimeout(r, 500)); // a reload
    const before = target.arrivals("/gone").length;
    const stored = await db.healthSample.count({ where: { checkId: stays.id } });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(target.arrivals("/gone").length).toBeLessThanOrEqual(before + 1);
    expect(await db.healthSample.count({ where: { checkId: stays.id } })).toBeGreaterThan(stored);
  });
});

describe("the health worker", () => {
  it("probes on one instance only: a second worker waits for the lease and takes over when the first stops", async () => {
    const service = await makeHealthService();
    await makeCheck({ serviceId: service.id, name: "single", url: `${target.url}/single` });
    const first = start();
    await waitFor("the first worker", async () => first.active());
    const second = startHealthWorker({ concurrency: 4, leaseMs: 600, reloadMs: 200, flushMs: 100, maintenanceEveryMs: 600_000 });
    try {
      await new Promise((r) => setTimeout(r, 1_500));
      expect(second.active()).toBe(false);
      await first.stop(); // releases the lease
      worker = null;
      await waitFor("the second worker", async () => second.active(), 5_000);
      const before = target.arrivals("/single").length;
      await new Promise((r) => setTimeout(r, 1_500));
      expect(target.arrivals("/single").length).toBeGreaterThan(before);
    } finally {
      await second.stop();
    }
  });
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
