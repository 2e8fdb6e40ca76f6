import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { auditOf, makeUser, TEST_CONTEXT } from "../testing/actors.ts";
import { changeCsvStream, startChangeExport } from "./export.ts";
import { CHANGE_SORTS, changeQueryInput, changeQueryParams, ZChangeQuery, type ChangeSort, type SortDir, type TChangeQuery } from "./filters.ts";
import { changePage, encodeCursor, listChanges } from "./list.ts";

type Seeded = {
  id: string;
  number: number;
  title: string;
  serviceId: string;
  requesterId: string;
  type: "STANDARD" | "NORMAL" | "EMERGENCY";
  risk: "LOW" | "MEDIUM" | "HIGH";
  status: "DRAFT" | "SUBMITTED" | "APPROVED" | "SCHEDULED" | "CLOSED" | "CANCELLED";
  plannedStart: Date;
  createdAt: Date;
  retrospectiveAt: Date | null;
};

const q = (input: Record<string, string | string[]> = {}): TChangeQuery => ZChangeQuery.parse(input);
const changes: Seeded[] = [];
let payments = "";
let search = "";
let alice = { id: "", email: "" };
let bob = { id: "", email: "" };

const STATUSES = ["DRAFT", "SUBMITTED", "APPROVED", "SCHEDULED", "CLOSED", "CANCELLED"] as const;
const TYPES = ["STANDARD", "NORMAL", "EMERGENCY"] as const;
const RISKS = ["LOW", "MEDIUM", "HIGH"] as const;

beforeAll(async () => {
  const a = await makeUser("OPERATOR", { email: "alice@example.test", name: "Alice Ops" });
  const b = await makeUser("OPERATOR", { email: "bob@example.test", name: "Bob Ops" });
  alice = { id: a.id, email: a.email };
  bob = { id: b.id, email: b.email };
  payments = (await db.service.create({ data: { name: "payments-api", environment: "PRODUCTION", ownerTeam: "Payments", tier: 1 } })).id;
  search = (await db.service.create({ data: { name: "search", environment: "STAGING", ownerTeam: "Discovery", tier: 2 } })).id;
  // 23 changes; planned starts and creation times repeat in groups of three so that ties on the
  // sort key are everywhere and only the id tie-breaker keeps pages apart.
  for (let i = 1; i <= 23; i++) {
    const row = await db.changeRequest.create({
      data: {
        number: i,
        title: i === 7 ? "Rotate TLS certificates" : i === 8 ? "=HYPERLINK(\"http://evil\"), \"quoted\"" : `Routine change ${i}`,
        serviceId: i % 2 ? payments : search,
        requesterId: i % 3 ? alice.id : bob.id,
        type: TYPES[i % 3]!,
        risk: TYPES[i % 3] === "STANDARD" ? "LOW" : RISKS[i % 3]!,
        status: i === 23 ? "CLOSED" : STATUSES[i % STATUSES.length]!,
        plannedStart: new Date(Date.UTC(2026, 11, 1 + Math.floor(i / 3), 9)),
        plannedEnd: new Date(Date.UTC(2026, 11, 1 + Math.floor(i / 3), 11)),
        createdAt: new Date(Date.UTC(2026, 10, 1 + Math.floor(i / 3))),
        retrospectiveAt: i === 14 ? new Date() : null,
      },
    });
    changes.push(row as Seeded);
  }
});

/** The reference order: the sort key, then id, both in the requested direction. */
function expectedOrder(rows: Seeded[], sort: ChangeSort, dir: SortDir): string[] {
  const key = (r: Seeded) => (sort === "number" ? r.number : r[sort].getTime());
  const sign = dir === "asc" ? 1 : -1;
  return [...rows]
    .sort((x, y) => sign * (key(x) - key(y) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)))
    .map((r) => r.id);
}

async function all(query: TChangeQuery): Promise<string[]> {
  return (await changePage(query, {}, 1000)).changes.map((c) => c.id);
}

describe("change list filters", () => {
  it("lists every change, latest planned start first, when nothing is filtered", async () => {
    expect(await all(q())).toEqual(expectedOrder(changes, "plannedStart", "desc"));
  });

  it("filters by one status or several", async () => {
    expect(await all(q({ status: "APPROVED" }))).toEqual(expectedOrder(changes.filter((c) => c.status === "APPROVED"), "plannedStart", "desc"));
    const several = await all(q({ status: ["APPROVED", "CLOSED"] }));
    expect(several).toEqual(expectedOrder(changes.filter((c) => c.status === "APPROVED" || c.status === "CLOSED"), "plannedStart", "desc"));
    expect(await all(q({ status: "APPROVED,CLOSED" }))).toEqual(several);
  });

  it("filters by service, type, risk and requester", async () => {
    expect(new Set(await all(q({ service: payments })))).toEqual(new Set(changes.filter((c) => c.serviceId === payments).map((c) => c.id)));
    expect(new Set(await all(q({ type: "EMERGENCY" })))).toEqual(new Set(changes.filter((c) => c.type === "EMERGENCY").map((c) => c.id)));
    expect(new Set(await all(q({ risk: "HIGH" })))).toEqual(new Set(changes.filter((c) => c.risk === "HIGH").map((c) => c.id)));
    expect(new Set(await all(q({ requester: "BOB@example.test" })))).toEqual(new Set(changes.filter((c) => c.requesterId === bob.id).map((c) => c.id)));
  });

  it("finds nothing for a requester email nobody has", async () => {
    expect(await all(q({ requester: "nobody@example.test" }))).toEqual([]);
  });

  it("combines filters", async () => {
    const got = new Set(await all(q({ service: search, requester: alice.email, status: ["DRAFT", "APPROVED", "CLOSED"] })));
    const want = changes.filter((c) => c.serviceId === search && c.requesterId === alice.id && ["DRAFT", "APPROVED", "CLOSED"].includes(c.status));
    expect(want.length).toBeGreaterThan(0);
    expect(got).toEqual(new Set(want.map((c) => c.id)));
  });

  it("filters the planned start by day, both ends inclusive", async () => {
    // Days 3 to 4 of December hold the changes numbered 6 to 11.
    const got = await all(q({ from: "2026-12-03", to: "2026-12-04", sort: "number", dir: "asc" }));
    expect(got).toEqual(changes.filter((c) => c.number >= 6 && c.number <= 11).map((c) => c.id));
  });

  it("refuses a range that ends before it starts, and unknown values, with messages for people", () => {
    const range = ZChangeQuery.safeParse({ from: "2026-12-05", to: "2026-12-01" });
    expect(range.error?.issues.map((i) => i.message)).toEqual(["“To” must not be before “From”."]);
    const status = ZChangeQuery.safeParse({ status: ["APPROVED", "NOPE"] });
    expect(status.error?.issues.map((i) => i.message)).toEqual(["Choose statuses from the list."]);
  });
});

describe("change list search", () => {
  it.each(["CHG-000007", "chg-7", "7", " 000007 "])("finds the change by its number written as %j", async (text) => {
    const page = await changePage(q({ q: text }));
    expect(page.changes.map((c) => c.reference)).toEqual(["CHG-000007"]);
  });

  it("searches titles for anything that is not a number, ignoring case", async () => {
    const page = await changePage(q({ q: "tls CERT" }));
    expect(page.changes.map((c) => c.title)).toEqual(["Rotate TLS certificates"]);
    expect((await changePage(q({ q: "routine change 2" }))).changes.map((c) => c.number).sort((a, b) => a - b)).toEqual([2, 20, 21, 22, 23]);
  });

  it("treats % and _ in a search as plain characters", async () => {
    expect((await changePage(q({ q: "%" }))).changes).toEqual([]);
    expect((await changePage(q({ q: "Routine_change" }))).changes).toEqual([]);
    expect((await changePage(q({ q: "=HYPERLINK(\"http://evil\"), \"quoted\"" }))).changes.map((c) => c.number)).toEqual([8]);
  });

  it("pages a wildcard search exactly", async () => {
    await db.changeRequest.updateMany({ where: { number: { in: [3, 4, 5, 6, 7] } }, data: { title: { set: "Raise pool to 80%_now" } } });
    try {
      const seen: number[] = [];
      let page = await changePage(q({ q: "80%_", sort: "number", dir: "asc" }), {}, 2);
      seen.push(...page.changes.map((c) => c.number));
      while (page.next) {
        page = await changePage(q({ q: "80%_", sort: "number", dir: "asc" }), { after: page.next }, 2);
        seen.push(...page.changes.map((c) => c.number));
      }
      expect(seen).toEqual([3, 4, 5, 6, 7]);
      expect((await changePage(q({ q: "80%_", sort: "number", dir: "asc" }), { before: page.prev! }, 2)).changes.map((c) => c.number)).toEqual([5, 6]);
    } finally {
      for (const c of changes.filter((x) => x.number >= 3 && x.number <= 7)) await db.changeRequest.update({ where: { id: c.id }, data: { title: c.title } });
    }
  });
});

describe("change list sort and pagination", () => {
  const orders = CHANGE_SORTS.flatMap((sort) => (["asc", "desc"] as const).map((dir) => [sort, dir] as const));

  it.each(orders)("sorts by %s %s, ties broken by id", async (sort, dir) => {
    expect(await all(q({ sort, dir }))).toEqual(expectedOrder(changes, sort, dir));
  });

  it.each(orders)("pages by %s %s without repeating or skipping a row, forwards and back", async (sort, dir) => {
    const query = q({ sort, dir });
    const forward: string[][] = [];
    let page = await changePage(query, {}, 4);
    expect(page.prev).toBeNull();
    forward.push(page.changes.map((c) => c.id));
    while (page.next) {
      page = await changePage(query, { after: page.next }, 4);
      forward.push(page.changes.map((c) => c.id));
    }
    expect(forward.flat()).toEqual(expectedOrder(changes, sort, dir));
    expect(forward.at(-1)).toHaveLength(23 % 4);

    const backward: string[][] = [forward.at(-1)!];
    while (page.prev) {
      page = await changePage(query, { before: page.prev }, 4);
      backward.unshift(page.changes.map((c) => c.id));
    }
    // Walking back lands on the same first page; the pages in between hold the same rows.
    expect(backward[0]).toEqual(forward[0]);
    expect(backward.flat()).toEqual(forward.flat());
  });

  it("pages within a filter", async () => {
    const query = q({ service: payments, sort: "createdAt", dir: "asc" });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await changePage(query, { after: cursor }, 2);
      seen.push(...page.changes.map((c) => c.id));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expectedOrder(changes.filter((c) => c.serviceId === payments), "createdAt", "asc"));
  });

  it.each(["asc", "desc"] as const)("pages several statuses by planned start %s without repeating or skipping a row", async (dir) => {
    const query = q({ status: ["DRAFT", "APPROVED", "CLOSED"], sort: "plannedStart", dir });
    const pages: string[][] = [];
    let page = await changePage(query, {}, 2);
    pages.push(page.changes.map((c) => c.id));
    while (page.next) {
      page = await changePage(query, { after: page.next }, 2);
      pages.push(page.changes.map((c) => c.id));
    }
    const want = expectedOrder(changes.filter((c) => ["DRAFT", "APPROVED", "CLOSED"].includes(c.status)), "plannedStart", dir);
    expect(pages.flat()).toEqual(want);
    const back: string[][] = [pages.at(-1)!];
    while (page.prev) {
      page = await changePage(query, { before: page.prev }, 2);
      back.unshift(page.changes.map((c) => c.id));
    }
    expect(back.flat()).toEqual(want);
  });

  it("offers no next page when the last page is exactly full", async () => {
    const page = await changePage(q({ sort: "number", dir: "asc" }), {}, 23);
    expect(page.changes).toHaveLength(23);
    expect(page.next).toBeNull();
  });

  it("refuses a cursor made for another sort, or one that was tampered with", async () => {
    const byNumber = (await changePage(q({ sort: "number" }), {}, 2)).next!;
    await expect(changePage(q({ sort: "createdAt" }), { after: byNumber })).rejects.toThrow(AppError);
    await expect(changePage(q(), { after: "not-a-cursor" })).rejects.toMatchObject({ code: "invalid_input" });
    const forged = encodeCursor({ sort: "plannedStart", dir: "desc", value: "yesterday", id: "x" });
    await expect(changePage(q(), { after: forged })).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("change list rows", () => {
  it("carries what the table shows, and flags an emergency change that went ahead without a retrospective", async () => {
    const rows = (await listChanges({ role: "VIEWER" }, q({ type: "EMERGENCY", sort: "number", dir: "asc" }), {}, 100)).changes;
    const first = rows[0]!;
    expect(first).toMatchObject({
      reference: "CHG-000002",
      service: { name: "search", environment: "STAGING" },
      requester: { name: "Alice Ops", email: "alice@example.test" },
      type: "EMERGENCY",
    });
    // Emergencies: 2, 5, 8, 11, 14, 17, 20, 23. 5, 11 and 17 were cancelled (never went ahead);
    // 14 has its retrospective; 2, 8, 20 (approved) and 23 (closed) still owe one.
    expect(rows.filter((r) => r.flags.retrospectiveDue).map((r) => r.number)).toEqual([2, 8, 20, 23]);
  });
});

describe("query parameters", () => {
  it("round-trips through the URL, leaving the default sort out", () => {
    const query = q({ status: ["APPROVED", "CLOSED"], service: payments, from: "2026-12-01", q: "tls" });
    const params = changeQueryParams(query);
    expect(params.toString()).toBe(`status=APPROVED&status=CLOSED&service=${payments}&from=2026-12-01&q=tls`);
    expect(q(changeQueryInput(params))).toEqual(query);
    expect(changeQueryParams(query, { sort: "number", dir: "asc" }).get("sort")).toBe("number");
  });
});

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("CSV export", () => {
  it("streams every matching change, not just one page, in batches", async () => {
    const csv = await text(changeCsvStream(q({ sort: "number", dir: "asc" }), db, 5));
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(
      "number,title,service,environment,type,risk,status,requester,requester_email,planned_start,planned_end,created_at,retrospective_due",
    );
    expect(lines).toHaveLength(24);
    expect(lines[1]).toBe(
      `CHG-000001,Routine change 1,payments-api,PRODUCTION,NORMAL,MEDIUM,SUBMITTED,Alice Ops,alice@example.test,2026-12-01T09:00:00.000Z,2026-12-01T11:00:00.000Z,2026-11-01T00:00:00.000Z,no`,
    );
  });

  it("neutralises a title a spreadsheet would run as a formula, and quotes commas and quotes", async () => {
    const csv = await text(changeCsvStream(q({ q: "CHG-000008" })));
    expect(csv.split("\r\n")[1]).toMatch(/^CHG-000008,"'=HYPERLINK\(""http:\/\/evil""\), ""quoted""",search,/);
  });

  it("records who exported which filter before streaming", async () => {
    const user = await makeUser("AUDITOR");
    const file = await startChangeExport(user, q({ status: ["APPROVED", "CLOSED"], risk: "HIGH" }), TEST_CONTEXT, new Date(Date.UTC(2026, 10, 27, 8, 30)));
    expect(file.filename).toBe("changes-20261127T083000Z.csv");
    const [event] = await auditOf("change.exported");
    expect(event).toMatchObject({ actorId: user.id, changes: { format: "csv", filters: { status: "APPROVED,CLOSED", risk: "HIGH" } } });
    const csv = await text(file.stream);
    const want = changes.filter((c) => c.risk === "HIGH" && ["APPROVED", "CLOSED"].includes(c.status));
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(want.length + 1);
  });
});
