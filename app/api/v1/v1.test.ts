import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/service";
import { db } from "@/lib/db/client";
import { GET as me } from "./me/route.ts";
import { GET as service } from "./services/[id]/route.ts";
import { GET as services } from "./services/route.ts";

const context = { ip: "", userAgent: "vitest" };
let token = "";
let prefix = "";
let serviceId = "";

beforeAll(async () => {
  const { id } = await db.user.create({ data: { email: "ci@example.com", name: "CI Owner", role: "RELEASE_MANAGER" }, select: { id: true } });
  const sam = await db.user.create({ data: { email: "sam@example.com", name: "Sam Stake", role: "STAKEHOLDER" }, select: { id: true } });
  ({ id: serviceId } = await db.service.create({
    data: {
      name: "payments-api",
      environment: "PRODUCTION",
      ownerTeam: "Payments",
      tier: 1,
      repoUrl: "https://git.example.internal/payments/payments-api",
      stakeholders: { create: [{ userId: sam.id }] },
    },
    select: { id: true },
  }));
  ({ token, prefix } = await createApiToken({ id, email: "ci@example.com", role: "RELEASE_MANAGER" }, { name: "pipeline", role: "VIEWER", expiresInDays: 7 }, context));
});

const get = (path: string, bearer: string | null) =>
  new Request(`http://portal.test${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

describe("/api/v1", () => {
  it("GET /me says which user and role the token acts as", async () => {
    const res = await me(get("/api/v1/me", token));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: {
        user: { id: expect.any(String), email: "ci@example.com", name: "CI Owner", role: "RELEASE_MANAGER" },
        token: { id: expect.any(String), name: "pipeline", prefix, role: "VIEWER" },
      },
    });
  });

  it("GET /services lists the catalogue for a token with service.read", async () => {
    const res = await services(get("/api/v1/services", token));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { services: { name: string }[] } };
    expect(body.data.services.map((s) => s.name)).toEqual(["payments-api"]);
  });

  it("GET /services/:id gives one service with its links and its stakeholders' names and emails", async () => {
    const res = await service(get(`/api/v1/services/${serviceId}`, token), { params: Promise.resolve({ id: serviceId }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: {
        service: {
          id: serviceId,
          name: "payments-api",
          environment: "PRODUCTION",
          ownerTeam: "Payments",
          tier: 1,
          description: "",
          links: { repo: "https://git.example.internal/payments/payments-api", runbook: null, dashboard: null },
          stakeholders: [{ id: expect.any(String), name: "Sam Stake", email: "sam@example.com" }],
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      },
    });
  });

  it("GET /services/:id answers 404 for a service that does not exist", async () => {
    const res = await service(get("/api/v1/services/nope", token), { params: Promise.resolve({ id: "nope" }) });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toEqual({ code: "not_found", message: "There is no service with the id nope." });
  });

  it("refuses all without a token", async () => {
    expect((await me(get("/api/v1/me", null))).status).toBe(401);
    expect((await services(get("/api/v1/services", null))).status).toBe(401);
    const one = await service(get(`/api/v1/services/${serviceId}`, null), { params: Promise.resolve({ id: serviceId }) });
    expect(one.status).toBe(401);
  });
});
