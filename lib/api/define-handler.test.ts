import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createApiToken } from "../api-tokens/service.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { defineHandler } from "./define-handler.ts";

const context = { ip: "192.0.2.1", userAgent: "vitest" };
let viewerToken = "";
let operatorToken = "";

beforeAll(async () => {
  const user = await db.user.create({ data: { email: "machine-owner@example.com", name: "Owner", role: "OPERATOR" }, select: { id: true } });
  const owner = { id: user.id, email: "machine-owner@example.com", role: "OPERATOR" as const };
  viewerToken = (await createApiToken(owner, { name: "reader", role: "VIEWER", expiresInDays: 5 }, context)).token;
  operatorToken = (await createApiToken(owner, { name: "writer", role: "OPERATOR", expiresInDays: 5 }, context)).token;
});

const echo = defineHandler(
  {
    name: "test.echo",
    permission: "service.write",
    query: z.object({ limit: z.coerce.number({ message: "limit must be a number" }).int().max(100, "limit is at most 100").default(10) }),
    body: z.object({ name: z.string({ message: "name is required" }).min(1, "name is required"), tier: z.number({ message: "tier must be a number" }).int() }),
  },
  async ({ principal, query, body }) => {
    if (body.name === "taken") throw new AppError("conflict", "That name is taken.");
    if (body.name === "boom") throw new Error("database on fire");
    return { by: principal.user.email, role: principal.role, limit: query.limit, name: body.name };
  },
);

function post(token: string | null, body: unknown, query = "", headers: Record<string, string> = {}): Request {
  return new Request(`http://portal.test/api/v1/echo${query}`, {
    method: "POST",
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      "content-type": "application/json",
      "user-agent": "ci-bot/1.0",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("defineHandler (/api/v1)", () => {
  it("runs the handler for a token whose role holds the permission and wraps the result in data", async () => {
    const res = await echo(post(operatorToken, { name: "api", tier: 1 }, "?limit=5"));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ data: { by: "machine-owner@example.com", role: "OPERATOR", limit: 5, name: "api" } });
  });

  it("answers 401 with a Bearer challenge when there is no token, and invalid_token for a bad one", async () => {
    const none = await echo(post(null, { name: "x", tier: 1 }));
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="ops-portal"');
    expect(await none.json()).toEqual({ error: { code: "unauthenticated", message: expect.stringContaining("Authorization: Bearer") } });
    const bad = await echo(post(`opt_${"x".repeat(43)}`, { name: "x", tier: 1 }));
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toBe('Bearer realm="ops-portal", error="invalid_token"');
  });

  it("answers 403 when the token's role lacks the permission, and audits the refusal", async () => {
    const res = await echo(post(viewerToken, { name: "x", tier: 1 }));
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect((await res.json()).error.code).toBe("forbidden");
    const denied = await db.auditEvent.findFirstOrThrow({ where: { action: "access.denied" }, orderBy: { seq: "desc" } });
    expect(denied.actorLabel).toMatch(/^machine-owner@example\.com \(API token opt_/);
    expect(denied.userAgent).toBe("ci-bot/1.0");
    expect(JSON.parse(denied.changes)).toEqual({ permission: "service.write", attempted: "test.echo" });
  });

  it("answers 400 listing each invalid field of the query and the body", async () => {
    const query = await echo(post(operatorToken, { name: "x", tier: 1 }, "?limit=500"));
    expect(query.status).toBe(400);
    expect(await query.json()).toEqual({ error: { code: "invalid_input", message: "Invalid query: limit is at most 100", fields: { limit: "limit is at most 100" } } });
    const body = await echo(post(operatorToken, { tier: "high" }));
    expect(body.status).toBe(400);
    expect((await body.json()).error.fields).toEqual({ name: "name is required", tier: "tier must be a number" });
    const notJson = await echo(post(operatorToken, "{nope"));
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.message).toBe("The request body is not valid JSON.");
    const wrongType = await echo(post(operatorToken, { name: "x", tier: 1 }, "", { "content-type": "text/plain" }));
    expect(wrongType.status).toBe(400);
  });

  it("maps an AppError to its HTTP status and hides anything else behind a 500", async () => {
    const conflict = await echo(post(operatorToken, { name: "taken", tier: 1 }));
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ error: { code: "conflict", message: "That name is taken." } });
    const bug = await echo(post(operatorToken, { name: "boom", tier: 1 }));
    expect(bug.status).toBe(500);
    const text = await bug.text();
    expect(text).not.toContain("database on fire");
    expect(JSON.parse(text).error.code).toBe("internal_error");
  });
});
