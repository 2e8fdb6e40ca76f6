import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { makeUser } from "../testing/actors.ts";
import { overlappingFreezes } from "./overlap.ts";

const at = (h: number) => new Date(Date.UTC(2031, 0, 1, h));

describe("overlapping freeze windows", () => {
  it("finds active windows for the environment or for all, overlapping the range (touching ends do not count)", async () => {
    const rm = await makeUser("RELEASE_MANAGER");
    const freeze = (startsAt: Date, endsAt: Date, environment: "PRODUCTION" | "STAGING" | null, reason: string, cancelled = false) =>
      db.freezeWindow.create({ data: { startsAt, endsAt, environment, reason, createdById: rm.id, cancelledAt: cancelled ? new Date() : null } });
    await freeze(at(10), at(12), "PRODUCTION", "prod freeze");
    await freeze(at(9), at(11), null, "everywhere");
    await freeze(at(10), at(12), "STAGING", "staging only");
    await freeze(at(10), at(12), "PRODUCTION", "called off", true);
    await freeze(at(12), at(14), "PRODUCTION", "starts when the change ends");

    // Earliest first; "starts when the change ends" only touches it.
    const found = await overlappingFreezes(db, "PRODUCTION", at(10), at(12));
    expect(found.map((f) => f.reason)).toEqual(["everywhere", "prod freeze"]);
    expect((await overlappingFreezes(db, "STAGING", at(10), at(12))).map((f) => f.reason)).toEqual(["everywhere", "staging only"]);
    // A change ending when the all-environments freeze starts... and one starting when it ends.
    expect((await overlappingFreezes(db, "STAGING", at(11), at(12))).map((f) => f.reason)).toEqual(["staging only"]);
    expect(await overlappingFreezes(db, "PRODUCTION", at(14), at(15))).toEqual([]);
  });
});
