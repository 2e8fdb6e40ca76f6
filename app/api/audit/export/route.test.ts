import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/sessions";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";

// The route reads the session cookie through next/headers; here the signed-in user is given directly.
const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/current-user", () => ({ currentUser: async () => session.user }));
const { GET } = await import("./route.ts");

const auditor: CurrentUser = { id: "u-auditor", email: "auditor@example.com", name: "A", role: "AUDITOR", sessionId: "s1", stepUpAt: new Date() };
const request = (query: string) => new Request(`http://portal.test/api/audit/export?${query}`, { headers: { "user-agent": "vitest" } });

beforeAll(async () => {
  for (const id of ["a", "b", "c"]) {
    await db.$transaction((tx) =>
      recordAudit(tx, { action: "service.updated", actor: { id: null, label: "ops@example.com" }, context: { ip: "", userAgent: "" }, target: { type: "Service", id } }),
    );
  }
});

beforeEach(() => {
  session.user = { ...auditor, stepUpAt: new Date() };
});

describe("GET /api/audit/export", () => {
  it("streams the filtered CSV as an attachment named with the time", async () => {
    const res = await GET(request("format=csv&targetType=Service&targetId=b"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-trail-\d{8}T\d{6}Z\.csv"$/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(",service.updated,Service,b,");
  });

  it("needs a session, the audit.export permission (refusal audited) and a recent step-up", async () => {
    session.user = null;
    expect((await GET(request("format=csv"))).status).toBe(401);

    session.user = { ...auditor, id: "u-viewer", email: "viewer@example.com", role: "VIEWER" };
    const denied = await GET(request("format=csv"));
    expect(denied.status).toBe(403);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "access.denied" }, orderBy: { seq: "desc" } });
    expect(event.actorLabel).toBe("viewer@example.com");
    expect(JSON.parse(event.changes)).toEqual({ permission: "audit.export", attempted: "audit.export" });

    session.user = { ...auditor, stepUpAt: new Date(Date.now() - 60 * 60_000) };
    const stale = await GET(request("format=csv"));
    expect(stale.status).toBe(403);
    expect((await stale.json()).error.code).toBe("step_up_required");
  });

  it("answers 400 naming the bad parameters", async () => {
    const res = await GET(request("format=xml&targetId=x"));
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { fields: Record<string, string> } };
    expect(error.fields).toEqual({ format: "Choose csv or json.", targetType: "Enter the target type to search by target id." });
  });
});
