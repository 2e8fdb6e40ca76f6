import { describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { makeUser } from "@/lib/testing/actors";

// The route reads the session cookie through next/headers; here the signed-in user is given directly.
const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/current-user", () => ({ currentUser: async () => session.user }));
const { GET } = await import("./route.ts");

const get = (number: string, after?: number) =>
  GET(new Request(`http://portal.test/api/deployments/${number}${after === undefined ? "" : `?after=${after}`}`, { headers: { "user-agent": "vitest" } }), {
    params: Promise.resolve({ number }),
  });

describe("GET /api/deployments/[number]", () => {
  it("gives a viewer the status, the steps and only the log lines after the one given", async () => {
    const viewer = await makeUser("VIEWER");
    const op = await makeUser("OPERATOR");
    const service = await db.service.create({ data: { name: "route-svc", environment: "PRODUCTION", ownerTeam: "T", tier: 1 } });
    const change = await db.changeRequest.create({
      data: { number: 1, title: "x", serviceId: service.id, type: "NORMAL", risk: "LOW", requesterId: op.id, plannedStart: new Date(), plannedEnd: new Date(), status: "DEPLOYING" },
    });
    const d = await db.deployment.create({
      data: { number: 7, serviceId: service.id, changeId: change.id, version: "2.0.0", toColour: "GREEN", triggeredById: op.id, idempotencyKey: "k" },
    });
    await db.deploymentStep.create({ data: { deploymentId: d.id, position: 0, kind: "PREFLIGHT", status: "RUNNING", startedAt: new Date() } });
    const first = await db.deploymentLog.create({ data: { deploymentId: d.id, message: "first" } });
    await db.deploymentLog.create({ data: { deploymentId: d.id, message: "second" } });
    session.user = { id: viewer.id, email: viewer.email, name: viewer.name, role: "VIEWER", sessionId: "s1", stepUpAt: null };

    const res = await get("DEP-000007", first.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { status: string; active: boolean; steps: { kind: string; status: string }[]; logs: { message: string }[] };
    expect(body.status).toBe("RUNNING");
    expect(body.active).toBe(true);
    expect(body.steps).toEqual([expect.objectContaining({ kind: "PREFLIGHT", status: "RUNNING" })]);
    expect(body.logs.map((l) => l.message)).toEqual(["second"]);
    expect((await get("7")).status).toBe(200);
  });

  it("answers 404 for an unknown deployment and 401 without a session", async () => {
    expect((await get("DEP-999999")).status).toBe(404);
    session.user = null;
    expect((await get("7")).status).toBe(401);
  });
});
