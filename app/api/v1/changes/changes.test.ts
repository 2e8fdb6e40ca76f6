import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/service";
import { db } from "@/lib/db/client";
import { POST as createChangeRoute } from "./route.ts";
import { POST as evidenceRoute } from "./[number]/evidence/route.ts";

const context = { ip: "", userAgent: "vitest" };
let ciToken = "";
let ciPrefix = "";
let viewerToken = "";
let serviceId = "";
let ownerId = "";

beforeAll(async () => {
  const owner = await db.user.create({ data: { email: "ci-owner@example.com", name: "CI Owner", role: "OPERATOR" }, select: { id: true } });
  ownerId = owner.id;
  ({ id: serviceId } = await db.service.create({ data: { name: "payments-api", environment: "PRODUCTION", ownerTeam: "Payments", tier: 1 } }));
  ({ token: ciToken, prefix: ciPrefix } = await createApiToken(
    { id: owner.id, email: "ci-owner@example.com", role: "OPERATOR" },
    { name: "pipeline", role: "OPERATOR", expiresInDays: 7 },
    context,
  ));
  ({ token: viewerToken } = await createApiToken(
    { id: owner.id, email: "ci-owner@example.com", role: "OPERATOR" },
    { name: "read only", role: "VIEWER", expiresInDays: 7 },
    context,
  ));
});

const post = (path: string, bearer: string, body: unknown) =>
  new Request(`http://portal.test${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const params = (number: string) => ({ params: Promise.resolve({ number }) });

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

const changeBody = () => ({
  title: "Release 7.1 from CI",
  serviceId,
  type: "NORMAL",
  risk: "LOW",
  implementationPlan: "Pipeline deploys 7.1",
  rollbackPlan: "Pipeline redeploys 7.0",
  plannedStart: inHours(24),
  plannedEnd: inHours(25),
  version: "7.1.0",
});

describe("/api/v1/changes", () => {
  it("POST creates a draft change as the token's owner and answers 201 with its number", async () => {
    const res = await createChangeRoute(post("/api/v1/changes", ciToken, changeBody()));
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: { change: { number: number; reference: string; status: string } } };
    expect(data.change).toMatchObject({ reference: expect.stringMatching(/^CHG-\d{6}$/), status: "DRAFT" });
    const row = await db.changeRequest.findUniqueOrThrow({ where: { number: data.change.number } });
    expect(row).toMatchObject({ requesterId: ownerId, title: "Release 7.1 from CI" });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "change.created", targetId: row.id } });
    expect(event.actorLabel).toBe(`ci-owner@example.com (api:${ciPrefix})`);
  });

  it("POST refuses invalid fields with a message per field, and a token whose role cannot create changes", async () => {
    const bad = await createChangeRoute(post("/api/v1/changes", ciToken, { ...changeBody(), title: "", plannedEnd: inHours(1) }));
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { fields: Record<string, string> } };
    expect(body.error.fields).toMatchObject({ title: "Enter a title.", plannedEnd: "The planned end must be after the planned start." });
    expect((await createChangeRoute(post("/api/v1/changes", viewerToken, changeBody()))).status).toBe(403);
  });

  it("POST /{number}/evidence records checklist evidence with the token as its source", async () => {
    const res = await createChangeRoute(post("/api/v1/changes", ciToken, changeBody()));
    const { data } = (await res.json()) as { data: { change: { number: number; reference: string } } };
    const ok = await evidenceRoute(
      post(`/api/v1/changes/${data.change.reference}/evidence`, ciToken, { item: "SECURITY_SCAN", result: "PASSED", summary: "0 high, 2 low", link: "https://ci.example/scan/9" }),
      params(data.change.reference),
    );
    expect(ok.status).toBe(201);
    const evidence = await db.changeEvidence.findFirstOrThrow({ where: { change: { number: data.change.number } } });
    expect(evidence).toMatchObject({ item: "SECURITY_SCAN", result: "PASSED", source: `api:${ciPrefix}`, recordedById: ownerId, supersededAt: null });

    const missingLink = await evidenceRoute(
      post(`/api/v1/changes/${data.change.number}/evidence`, ciToken, { item: "BACKUP_VERIFICATION", result: "PASSED" }),
      params(String(data.change.number)),
    );
    expect(missingLink.status).toBe(400);
    expect(((await missingLink.json()) as { error: { fields: Record<string, string> } }).error.fields).toMatchObject({
      verifiedAt: "Enter when the verified backup was taken.",
      link: expect.any(String),
    });
    const unknown = await evidenceRoute(
      post("/api/v1/changes/CHG-999999/evidence", ciToken, { item: "SECURITY_SCAN", result: "PASSED", link: "https://ci.example/x" }),
      params("CHG-999999"),
    );
    expect(unknown.status).toBe(404);
    const readOnly = await evidenceRoute(
      post(`/api/v1/changes/${data.change.reference}/evidence`, viewerToken, { item: "SECURITY_SCAN", result: "PASSED", link: "https://ci.example/x" }),
      params(data.change.reference),
    );
    expect(readOnly.status).toBe(403);
  });

  it("POST /{number}/evidence follows the same rules as the portal: no evidence on a closed change", async () => {
    const res = await createChangeRoute(post("/api/v1/changes", ciToken, changeBody()));
    const { data } = (await res.json()) as { data: { change: { number: number; reference: string } } };
    await db.changeRequest.update({ where: { number: data.change.number }, data: { status: "CANCELLED" } });
    const refused = await evidenceRoute(
      post(`/api/v1/changes/${data.change.reference}/evidence`, ciToken, { item: "SECURITY_SCAN", result: "PASSED", link: "https://ci.example/x" }),
      params(data.change.reference),
    );
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("is cancelled");
  });
});
