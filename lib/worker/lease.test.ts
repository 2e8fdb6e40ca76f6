import { afterAll, describe, expect, it } from "vitest";
import { createDb, db, databaseUrlOf } from "../db/client.ts";
import { providerOf } from "../db/url.ts";
import { acquireLease, leaseHolder, releaseLease, renewLease } from "./lease.ts";

/*
 * WorkerLease compare-and-set: one holder at a time, even when several instances (separate
 * database connections) race for it; expired leases are taken over; release hands over at once.
 */

// MariaDB: separate connection pools, as separate instances would have. SQLite: racing through the
// one client (several better-sqlite3 connections in one thread block each other in their busy
// wait while a Prisma transaction of another waits for the same thread), still interleaved per call.
const mysql = providerOf(databaseUrlOf(db)) === "mysql";
const others = mysql ? [createDb(databaseUrlOf(db)), createDb(databaseUrlOf(db)), createDb(databaseUrlOf(db))] : [db, db, db];
afterAll(async () => {
  if (mysql) await Promise.all(others.map((c) => c.$disconnect()));
});

describe("worker leases", () => {
  it("lets exactly one of several racing instances take a free lease", async () => {
    const clients = [db, ...others];
    for (let round = 0; round < 5; round++) {
      const name = `race-free-${round}`;
      const won = await Promise.all(clients.map((c, i) => acquireLease(c, name, `holder-${i}`, 10_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await leaseHolder(db, name)).toBe(`holder-${won.indexOf(true)}`);
    }
  });

  it("lets exactly one of several racing instances take over an expired lease", async () => {
    const clients = [db, ...others];
    for (let round = 0; round < 5; round++) {
      const name = `race-expired-${round}`;
      expect(await acquireLease(db, name, "dead", 1, new Date(Date.now() - 10_000))).toBe(true);
      const won = await Promise.all(clients.map((c, i) => acquireLease(c, name, `holder-${i}`, 10_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
    }
  });

  it("refuses a live lease to others, renews only for its holder, and hands over on release", async () => {
    expect(await acquireLease(db, "handover", "a", 10_000)).toBe(true);
    expect(await acquireLease(others[0]!, "handover", "b", 10_000)).toBe(false);
    expect(await acquireLease(db, "handover", "a", 10_000)).toBe(true); // re-acquiring our own
    expect(await renewLease(db, "handover", "a", 10_000)).toBe(true);
    expect(await renewLease(db, "handover", "b", 10_000)).toBe(false);
    await releaseLease(db, "handover", "b"); // not b's: nothing happens
    expect(await leaseHolder(db, "handover")).toBe("a");
    await releaseLease(db, "handover", "a");
    expect(await leaseHolder(db, "handover")).toBe(null);
    expect(await acquireLease(others[0]!, "handover", "b", 10_000)).toBe(true);
    // a stalled past expiry and b took over: a's renewal fails, so a knows to stop.
    expect(await renewLease(db, "handover", "a", 10_000)).toBe(false);
  });
});
