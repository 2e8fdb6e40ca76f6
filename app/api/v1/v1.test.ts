import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/service";
import { db } from "@/lib/db/client";
import { GET as me } from "./me/route.ts";
import { GET as services } from "./services/route.ts";

const context = { ip: "", userAgent: "vitest" };
let token = "";
let prefix = "";

beforeAll(async () => {
  const { id } = await db.user.create({ data: { email: "ci@example.com", name: "CI Owner", role: "RELEASE_MANAGER" }, select: { id: true } });
  await db.service.create({ data: { name: "payments-api", environment: "PRODUCTION", ownerTeam: "Payments", tier: 1 } });
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

  it("refuses both without a token", async () => {
    expect((await me(get("/api/v1/me", null))).status).toBe(401);
    expect((await services(get("/api/v1/services", null))).status).toBe(401);
  });
});
