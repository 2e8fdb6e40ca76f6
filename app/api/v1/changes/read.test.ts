import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/service";
import { db } from "@/lib/db/client";
import { GET as getChange } from "./[number]/route.ts";
import { GET as listChanges } from "./route.ts";

const context = { ip: "", userAgent: "vitest" };
let token = "";
let serviceId = "";

beforeAll(async () => {
  const owner = await db.user.create({ data: { email: "ci@example.com", name: "CI Owner", role: "OPERATOR" } });
  const stakeholder = await db.user.create({ data: { email: "sam@example.com", name: "Sam Stakeholder", role: "STAKEHOLDER" } });
  const approver = await db.user.create({ data: { email: "rita@example.com", name: "Rita Release", role: "RELEASE_MANAGER" } });
  serviceId = (await db.service.create({ data: { name: "payments-api", environment: "PRODUCTION", ownerTeam: "Payments", tier: 1 } })).id;
  const other = (await db.service.create({ data: { name: "search", environment: "STAGING", ownerTeam: "Discovery", tier: 2 } })).id;
  ({ token } = await createApiToken({ id: owner.id, email: owner.email, role: "OPERATOR" }, { name: "pipeline", role: "VIEWER", expiresInDays: 7 }, context));
  for (let n = 1; n <= 5; n++) {
    await db.changeRequest.create({
      data: {
        number: n,
        title: `Deploy payments ${n}`,
        serviceId: n === 5 ? other : serviceId,
        type: "NORMAL",
        risk: "MEDIUM",
        status: n % 2 ? "SUBMITTED" : "APPROVED",
        plannedStart: new Date(Date.UTC(2026, 11, n, 9)),
        plannedEnd: new Date(Date.UTC(2026, 11, n, 10)),
        requesterId: owner.id,
        contentDigest: "digest-now",
        implementationPlan: "helm upgrade payments",
        rollbackPlan: "helm rollback payments",
        version: `1.${n}.0`,
      },
    });
  }
  const two = await db.changeRequest.findUniqueOrThrow({ where: { number: 2 } });
  await db.changeStakeholder.create({ data: { changeId: two.id, userId: stakeholder.id, uatResult: "PASSED", uatAt: new Date(), uatDigest: "digest-now" } });
  await db.changeEvidence.createMany({
    data: [
      { changeId: two.id, item: "SECURITY_SCAN", result: "FAILED", summary: "2 criticals", recordedById: owner.id, supersededAt: new Date() },
      { changeId: two.id, item: "SECURITY_SCAN", result: "PASSED", summary: "clean", link: "https://ci.example/scan/2", recordedById: owner.id, source: "api:ops_abc" },
    ],
  });
  await db.changeApproval.createMany({
    data: [
      { changeId: two.id, userId: stakeholder.id, decision: "APPROVED", digest: "digest-now", snapshot: "{}" },
      { changeId: two.id, userId: approver.id, decision: "APPROVED", digest: "digest-old", snapshot: "{}", staleAt: new Date() },
    ],
  });
});

const get = (path: string, bearer: string | null = token) =>
  new Request(`http://portal.test${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
const params = (number: string) => ({ params: Promise.resolve({ number }) });

type ListBody = { data: { changes: { number: string; title: string; status: string; service: { name: string } }[]; nextCursor: string | null } };

describe("GET /api/v1/changes", () => {
  it("lists changes with the page's filters and follows nextCursor to the end", async () => {
    const first = (await (await listChanges(get("/api/v1/changes?service=" + serviceId + "&sort=number&dir=asc&limit=2"))).json()) as ListBody;
    expect(first.data.changes.map((c) => c.number)).toEqual(["CHG-000001", "CHG-000002"]);
    expect(first.data.changes[0]).toMatchObject({ title: "Deploy payments 1", status: "SUBMITTED", service: { name: "payments-api" } });
    const second = (await (await listChanges(get(`/api/v1/changes?service=${serviceId}&sort=number&dir=asc&limit=2&cursor=${first.data.nextCursor}`))).json()) as ListBody;
    expect(second.data.changes.map((c) => c.number)).toEqual(["CHG-000003", "CHG-000004"]);
    expect(second.data.nextCursor).toBeNull();
  });

  it("accepts several statuses, repeated or comma-separated, and a search by number", async () => {
    const repeated = (await (await listChanges(get("/api/v1/changes?status=APPROVED&status=DRAFT&sort=number&dir=asc"))).json()) as ListBody;
    const commas = (await (await listChanges(get("/api/v1/changes?status=APPROVED,DRAFT&sort=number&dir=asc"))).json()) as ListBody;
    expect(repeated.data.changes.map((c) => c.number)).toEqual(["CHG-000002", "CHG-000004"]);
    expect(commas).toEqual(repeated);
    const found = (await (await listChanges(get("/api/v1/changes?q=CHG-000003"))).json()) as ListBody;
    expect(found.data.changes.map((c) => c.number)).toEqual(["CHG-000003"]);
  });

  it("answers 400 naming the problem for a bad filter, limit or cursor", async () => {
    const bad = await listChanges(get("/api/v1/changes?risk=EXTREME&limit=500"));
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { fields: Record<string, string> } };
    expect(body.error.fields).toEqual({ risk: "Choose a risk from the list.", limit: "limit is at most 200." });
    const cursor = await listChanges(get("/api/v1/changes?cursor=garbage"));
    expect(cursor.status).toBe(400);
  });

  it("refuses a request without a token", async () => {
    expect((await listChanges(get("/api/v1/changes", null))).status).toBe(401);
  });
});

describe("GET /api/v1/changes/[number]", () => {
  it("returns the change with its plans, window, stakeholders, current evidence and approval counts", async () => {
    const res = await getChange(get("/api/v1/changes/CHG-000002"), params("CHG-000002"));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { change: Record<string, unknown> } };
    expect(data.change).toMatchObject({
      number: "CHG-000002",
      status: "APPROVED",
      implementationPlan: "helm upgrade payments",
      rollbackPlan: "helm rollback payments",
      version: "1.2.0",
      plannedStart: "2026-12-02T09:00:00.000Z",
      plannedEnd: "2026-12-02T10:00:00.000Z",
      service: { name: "payments-api", environment: "PRODUCTION" },
      requester: { email: "ci@example.com" },
      stakeholders: [{ email: "sam@example.com", uat: { result: "PASSED", current: true } }],
      evidence: [{ item: "SECURITY_SCAN", result: "PASSED", summary: "clean", link: "https://ci.example/scan/2", source: "api:ops_abc" }],
      approvals: { approved: 1, rejected: 0, stale: 1 },
    });
    expect(data.change.evidence).toHaveLength(1); // the superseded scan is left out
  });

  it("accepts the bare number too, and answers 404 for a change that does not exist", async () => {
    const bare = (await (await getChange(get("/api/v1/changes/2"), params("2"))).json()) as { data: { change: { number: string } } };
    expect(bare.data.change.number).toBe("CHG-000002");
    const missing = await getChange(get("/api/v1/changes/CHG-999999"), params("CHG-999999"));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe("There is no change CHG-999999.");
    expect((await getChange(get("/api/v1/changes/nope"), params("nope"))).status).toBe(404);
  });

  it("refuses a request without a token", async () => {
    expect((await getChange(get("/api/v1/changes/CHG-000002", null), params("CHG-000002"))).status).toBe(401);
  });
});
