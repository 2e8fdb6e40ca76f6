import { beforeEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../audit/verify.ts";
import { db } from "../db/client.ts";
import { auditOf } from "../testing/actors.ts";
import { approveChange, createChange, rejectChange, updateChange, type ChangeActor } from "./service.ts";
import { createInput, ctx, makeCast, submittedChange } from "./testing.ts";

/*
 * Two people acting on the same change at the same moment. Run on MariaDB too:
 * TEST_DATABASE_URL=mysql://root@127.0.0.1:3306/test_core npx vitest run lib/changes/concurrency.test.ts
 */

type Cast = Awaited<ReturnType<typeof makeCast>>;
let cast: Cast;

beforeEach(async () => {
  cast = await makeCast();
});

const approve = (actor: ChangeActor, changeId: string) => approveChange(actor, { changeId, comment: "", rollbackAcknowledged: true }, ctx);

describe("concurrent decisions", () => {
  it("two approvers approving a medium-risk change at once: both count once, and it is APPROVED", async () => {
    const { requester, rm, rm2, service } = cast;
    const c = await submittedChange(requester, service.id, { risk: "MEDIUM" });
    const results = await Promise.allSettled([approve(rm, c.id), approve(rm2, c.id)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    const row = await db.changeRequest.findUniqueOrThrow({ where: { id: c.id }, include: { approvals: true } });
    expect(row.status).toBe("APPROVED");
    expect(row.approvals.map((a) => a.userId).sort()).toEqual([rm.id, rm2.id].sort());
    const events = await auditOf("change.approved", c.id);
    expect(events).toHaveLength(2);
    // Exactly one of the two saw the policy met and moved the status.
    expect(events.filter((e) => e.changes.status)).toHaveLength(1);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });

  it("the same approver approving twice at once (double click) records one approval", async () => {
    const { requester, rm, service } = cast;
    const c = await submittedChange(requester, service.id, { risk: "MEDIUM" });
    const results = await Promise.allSettled([approve(rm, c.id), approve(rm, c.id), approve(rm, c.id)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused?.reason).toMatchObject({ message: "You have already approved this change." });
    expect(await db.changeApproval.count({ where: { changeId: c.id } })).toBe(1);
    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("SUBMITTED");
  });

  it("an approval racing a rejection ends in one consistent state", async () => {
    const { requester, rm, rm2, service } = cast;
    const c = await submittedChange(requester, service.id, { risk: "LOW" });
    const results = await Promise.allSettled([approve(rm, c.id), rejectChange(rm2, { changeId: c.id, comment: "Not this week." }, ctx)]);
    const row = await db.changeRequest.findUniqueOrThrow({ where: { id: c.id }, include: { approvals: true } });
    // Whichever goes first, the rejection stands: approved-then-rejected, or rejected (and the
    // approval refused because the change is no longer submitted).
    expect(results[1]?.status).toBe("fulfilled");
    expect(row.status).toBe("REJECTED");
    const expected = results[0]?.status === "fulfilled" ? ["APPROVED", "REJECTED"] : ["REJECTED"];
    expect(row.approvals.map((a) => a.decision).sort()).toEqual(expected);
    if (results[0]?.status === "rejected") {
      expect(results[0].reason).toMatchObject({ message: expect.stringContaining("Only a submitted change can be approved") });
    }
  });

  it("an edit racing approvals never leaves a current approval bound to content that changed", async () => {
    const { requester, rm, rm2, service } = cast;
    for (let round = 0; round < 3; round++) {
      const c = await submittedChange(requester, service.id, { risk: "MEDIUM" });
      await Promise.allSettled([
        approve(rm, c.id),
        updateChange(requester, { changeId: c.id, rollbackPlan: `Switch back to blue (round ${round}).` }, ctx),
        approve(rm2, c.id),
      ]);
      const row = await db.changeRequest.findUniqueOrThrow({ where: { id: c.id }, include: { approvals: true } });
      for (const a of row.approvals) {
        if (a.staleAt === null) expect(a.digest).toBe(row.contentDigest);
      }
      const current = row.approvals.filter((a) => a.staleAt === null).length;
      expect(row.status).toBe(current >= 2 ? "APPROVED" : "SUBMITTED");
    }
  });

  it("concurrent creates get distinct, consecutive numbers", async () => {
    const { requester, service } = cast;
    const created = await Promise.all(Array.from({ length: 8 }, () => createChange(requester, createInput({ serviceId: service.id }), ctx)));
    const numbers = created.map((c) => c.number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(8);
    expect(numbers.at(-1)! - numbers[0]!).toBe(7);
    expect((await db.counter.findUniqueOrThrow({ where: { name: "change" } })).value).toBe(numbers.at(-1));
  });
});
