import { describe, expect, it, vi } from "vitest";
import { verifyAuditChain } from "../audit/verify.ts";
import { getChangeDetail } from "../changes/detail.ts";
import { db } from "../db/client.ts";
import { seedDemo } from "./seed.ts";

// The whole demo seed writes 30 days of health history and business metrics: on a loaded CI
// machine with MariaDB that takes longer than the default 30 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe("demo change requests", () => {
  it("shows the workflow in every state, each made through the real rules, and only once", async () => {
    await seedDemo(db);
    const changes = await db.changeRequest.findMany({ orderBy: { number: "asc" }, select: { number: true, title: true, status: true, type: true } });
    expect(new Set(changes.map((c) => c.status))).toEqual(
      new Set(["CLOSED", "REJECTED", "CANCELLED", "DRAFT", "SUBMITTED", "APPROVED", "SCHEDULED"]),
    );
    const release = await db.user.findUniqueOrThrow({ where: { email: "release@demo.local" } });
    const stakeholder = await db.user.findUniqueOrThrow({ where: { email: "stakeholder@demo.local" } });
    const detailOf = async (title: string) => {
      const c = changes.find((x) => x.title === title);
      const d = c && (await getChangeDetail(release, c.number));
      if (!d) throw new Error(`no demo change "${title}"`);
      return d;
    };

    const waiting = await detailOf("Upgrade card tokenisation library to 5.3");
    expect(waiting.change.status).toBe("SUBMITTED");
    expect(waiting.policy.missing).toEqual(["Sam Stakeholder's approval"]);
    expect((await getChangeDetail(stakeholder, waiting.change.number))?.allowed).toMatchObject({ canSignUat: true, canApprove: false });

    const ready = await detailOf("Invoice PDF renderer 2.0");
    expect(ready.change.status).toBe("APPROVED");
    expect(ready.checklist.complete).toBe(true);

    const frozen = await detailOf("Switch SMS provider failover order");
    expect(frozen.change.status).toBe("APPROVED");
    expect(frozen.flags.freezeConflicts.map((f) => f.reason)).toEqual(["Year-end trading peak"]);

    const emergency = await detailOf("Emergency: patch session fixation in sign-in");
    expect(emergency.change).toMatchObject({ status: "SCHEDULED", type: "EMERGENCY" });
    expect(emergency.flags).toMatchObject({ retrospectiveDue: true, freezeOverridden: true });

    const closed = await detailOf("Raise payments DB connection pool to 50");
    expect(closed.change.status).toBe("CLOSED");
    expect(closed.change.pir?.serviceVerification).toContain("Smoke tests");
    expect(closed.change.plannedEnd.getTime()).toBeLessThan(Date.now());
    expect(closed.approvals.every((a) => !a.stale && a.changedSince.length === 0)).toBe(true);

    expect((await detailOf("Drop legacy report tables")).approvals[0]).toMatchObject({ decision: "REJECTED", comment: expect.stringContaining("Finance") });
    expect(await db.notification.count({ where: { userId: stakeholder.id } })).toBeGreaterThan(0);

    const events = await db.auditEvent.count();
    await seedDemo(db);
    expect(await db.changeRequest.count()).toBe(changes.length);
    expect(await db.auditEvent.count()).toBe(events);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });
});
