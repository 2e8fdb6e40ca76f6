import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/service";
import { ctx, makeCast } from "@/lib/changes/testing";
import { db } from "@/lib/db/client";
import { commandTarget, readyChange } from "@/lib/deployments/gates-testing";
import { GET as detailRoute } from "./[number]/route.ts";
import { GET as logRoute } from "./[number]/log/route.ts";
import { POST as rollbackRoute } from "./[number]/rollback/route.ts";
import { GET as listRoute, POST as triggerRoute } from "./route.ts";

type Cast = Awaited<ReturnType<typeof makeCast>>;
let cast: Cast;
let pipeline = "";
let viewer = "";

beforeAll(async () => {
  cast = await makeCast();
  await commandTarget(cast.service.id, "BLUE");
  const owner = { id: cast.rm.id, email: cast.rm.email, role: cast.rm.role };
  ({ token: pipeline } = await createApiToken(owner, { name: "pipeline", role: "RELEASE_MANAGER", expiresInDays: 7 }, ctx));
  ({ token: viewer } = await createApiToken(owner, { name: "dashboards", role: "VIEWER", expiresInDays: 7 }, ctx));
});

const post = (path: string, bearer: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://portal.test${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const get = (path: string, bearer: string) => new Request(`http://portal.test${path}`, { headers: { authorization: `Bearer ${bearer}` } });
const params = (number: string) => ({ params: Promise.resolve({ number }) });

type Deployment = { number: string; status: string; colours: { from: string | null; to: string }; steps: { kind: string; status: string; startedAt: string | null }[] };

describe("/api/v1/deployments", () => {
  it("POST starts a deployment (201), the same key again answers 200 with the same one, GET shows its steps and log", async () => {
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    const first = await triggerRoute(post("/api/v1/deployments", pipeline, { change: c.reference }, { "idempotency-key": "build-4711" }));
    expect(first.status).toBe(201);
    const { data } = (await first.json()) as { data: { deployment: Deployment } };
    expect(data.deployment).toMatchObject({ number: expect.stringMatching(/^DEP-\d{6}$/), status: "RUNNING", colours: { from: "blue", to: "green" } });
    expect(data.deployment.steps.map((s) => s.kind)).toEqual(["PREFLIGHT", "DEPLOY", "HEALTH_CHECK", "SWITCH", "VALIDATE", "DONE"]);

    const again = await triggerRoute(post("/api/v1/deployments", pipeline, { change: c.reference, idempotencyKey: "build-4711" }));
    expect(again.status).toBe(200);
    expect(((await again.json()) as { data: { deployment: Deployment } }).data.deployment.number).toBe(data.deployment.number);

    const detail = await detailRoute(get(`/api/v1/deployments/${data.deployment.number}`, viewer), params(data.deployment.number));
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as { data: { deployment: Deployment } }).data.deployment).toMatchObject({ number: data.deployment.number, status: "RUNNING" });

    const d = await db.deployment.findUniqueOrThrow({ where: { number: Number(data.deployment.number.slice(4)) } });
    // One after the other: written at once, MariaDB's pool may commit them in either order.
    const lines = [];
    for (const message of ["preflight: gates pass", "deploying 4.2.0 to green"]) {
      lines.push(await db.deploymentLog.create({ data: { deploymentId: d.id, step: "PREFLIGHT", message } }));
    }
    const log1 = await logRoute(get(`/api/v1/deployments/${data.deployment.number}/log`, viewer), params(data.deployment.number));
    const page1 = (await log1.json()) as { data: { lines: { id: number; message: string }[]; after: number; done: boolean } };
    expect(page1.data.lines.map((l) => l.message)).toEqual(["preflight: gates pass", "deploying 4.2.0 to green"]);
    expect(page1.data).toMatchObject({ after: lines[1]!.id, done: false });
    const log2 = await logRoute(get(`/api/v1/deployments/${data.deployment.number}/log?after=${lines[0]!.id}`, viewer), params(data.deployment.number));
    expect(((await log2.json()) as { data: { lines: { message: string }[] } }).data.lines.map((l) => l.message)).toEqual(["deploying 4.2.0 to green"]);

    const list = await listRoute(get(`/api/v1/deployments?service=${encodeURIComponent(cast.service.name)}&status=RUNNING`, viewer));
    expect(((await list.json()) as { data: { deployments: { number: string }[] } }).data.deployments.map((x) => x.number)).toEqual([data.deployment.number]);

    const rb = await rollbackRoute(post(`/api/v1/deployments/${data.deployment.number}/rollback`, pipeline, { reason: "Smoke tests red" }), params(data.deployment.number));
    expect(rb.status).toBe(202);
    expect(await db.deployment.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ rollbackReason: "Smoke tests red", rollbackRequestedById: cast.rm.id });

    // The service is taken now: another change is refused, naming the gate.
    const other = await readyChange(cast.requester, cast.rm, cast.service.id);
    const busy = await triggerRoute(post("/api/v1/deployments", pipeline, { change: other.reference }, { "idempotency-key": "build-4712" }));
    expect(busy.status).toBe(409);
    expect(await busy.json()).toEqual({
      error: { code: "conflict", message: `Service free: another deployment of ${cast.service.name} (${data.deployment.number}) is running.` },
      gate: "service_busy",
    });
  });

  it("POST answers 400 without an idempotency key, 404 for an unknown change, 409 naming the gate, 403 for a viewer token", async () => {
    const noKey = await triggerRoute(post("/api/v1/deployments", pipeline, { change: "CHG-000001" }));
    expect(noKey.status).toBe(400);
    expect(((await noKey.json()) as { error: { message: string } }).error.message).toMatch(/^Send an Idempotency-Key header/);

    const unknown = await triggerRoute(post("/api/v1/deployments", pipeline, { change: "CHG-999999" }, { "idempotency-key": "k1" }));
    expect(unknown.status).toBe(404);

    const service = await db.service.create({ data: { name: `early-${Date.now()}`, environment: "PRODUCTION", ownerTeam: "Payments", tier: 1 } });
    await commandTarget(service.id);
    const early = await readyChange(cast.requester, cast.rm, service.id, {}, [2, 3]);
    const refused = await triggerRoute(post("/api/v1/deployments", pipeline, { change: early.reference }, { "idempotency-key": "k2" }));
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { error: { message: string }; gate: string };
    expect(body.gate).toBe("window");
    expect(body.error.message).toMatch(/^Change window: opens /);

    const forbidden = await triggerRoute(post("/api/v1/deployments", viewer, { change: early.reference }, { "idempotency-key": "k3" }));
    expect(forbidden.status).toBe(403);
    const rbForbidden = await rollbackRoute(post("/api/v1/deployments/DEP-000001/rollback", viewer, { reason: "x" }), params("DEP-000001"));
    expect(rbForbidden.status).toBe(403);
    expect(await db.deployment.count({ where: { changeId: early.id } })).toBe(0);
  });

  it("GET answers 404 for an unknown deployment and 400 for a bad status filter", async () => {
    expect((await detailRoute(get("/api/v1/deployments/DEP-999999", viewer), params("DEP-999999"))).status).toBe(404);
    expect((await detailRoute(get("/api/v1/deployments/nonsense", viewer), params("nonsense"))).status).toBe(404);
    expect((await logRoute(get("/api/v1/deployments/DEP-999999/log", viewer), params("DEP-999999"))).status).toBe(404);
    const bad = await listRoute(get("/api/v1/deployments?status=DANCING", viewer));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({
      status: "status is one of RUNNING, ROLLING_BACK, SUCCEEDED, ROLLED_BACK, FAILED.",
    });
  });
});
