import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { makeUser, signInAs, TEST_CONTEXT } from "../testing/actors.ts";
import { parseInput } from "../validation/parse.ts";
import { ZCreateCheckInput, ZTestCheckInput } from "./check-schemas.ts";
import { createCheck } from "./checks.ts";
import { TEST_NOW_PER_MINUTE, testCheckConfig, testSavedCheck } from "./test-now.ts";

const context = TEST_CONTEXT;
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/health") {
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"status":"healthy"}');
    } else {
      res.writeHead(503).end("down for maintenance");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function actor(role: Parameters<typeof makeUser>[0]) {
  return (await signInAs((await makeUser(role)).id)).user;
}

function formValues(extra: Record<string, unknown>) {
  const parsed = parseInput(ZTestCheckInput, { kind: "HTTP", name: "Unsaved", url: `${base}/health`, timeoutMs: "2000", ...extra });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  return parsed.data;
}

describe("Test now", () => {
  it("probes the form's unsaved values once and reports status, latency and code", async () => {
    const operator = await actor("OPERATOR");
    const up = await testCheckConfig(operator, formValues({ keyword: "healthy" }), context);
    expect(up).toMatchObject({ ok: true, statusCode: 200, error: "", certExpiresAt: null, target: `GET ${base}/health` });
    expect(up.latencyMs).toBeGreaterThan(0);
    const down = await testCheckConfig(operator, formValues({ url: `${base}/other` }), context);
    expect(down).toMatchObject({ ok: false, statusCode: 503 });
    expect(down.error).not.toBe("");
  });

  it("probes a saved check as saved and stores nothing: no sample, state still PENDING", async () => {
    const operator = await actor("OPERATOR");
    const svc = await db.service.create({ data: { name: "test-now-svc", environment: "STAGING", ownerTeam: "Platform", tier: 3 } });
    const parsed = parseInput(ZCreateCheckInput, { serviceId: svc.id, kind: "HTTP", name: "Health", url: `${base}/health`, timeoutMs: "2000" });
    if (!parsed.ok) throw new Error("bad fixture");
    const check = await createCheck(operator, parsed.data, context);
    const auditBefore = await db.auditEvent.count();

    expect(await testSavedCheck(operator, { checkId: check.id }, context)).toMatchObject({ ok: true, statusCode: 200 });
    expect(await db.healthSample.count({ where: { checkId: check.id } })).toBe(0);
    expect(await db.healthCheckState.findUniqueOrThrow({ where: { checkId: check.id } })).toMatchObject({ status: "PENDING", lastCheckedAt: null });
    expect(await db.auditEvent.count()).toBe(auditBefore);
    await expect(testSavedCheck(operator, { checkId: "gone" }, context)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses a viewer, audited, without probing", async () => {
    const viewer = await actor("VIEWER");
    let probed = false;
    await expect(
      testCheckConfig(viewer, formValues({}), context, async () => {
        probed = true;
        throw new Error("must not probe");
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(probed).toBe(false);
    const denied = await db.auditEvent.findFirstOrThrow({ where: { action: "access.denied", actorId: viewer.id } });
    expect(JSON.parse(denied.changes)).toEqual({ permission: "health.manage", attempted: "health.check_test" });
  });

  it(`allows ${TEST_NOW_PER_MINUTE} tests a minute per user, then says when to try again`, async () => {
    const [busy, other] = [await actor("OPERATOR"), await actor("ADMIN")];
    const fake = async () => ({ at: new Date(), ok: true, latencyMs: 1, statusCode: 200, error: "", certExpiresAt: null });
    for (let i = 0; i < TEST_NOW_PER_MINUTE; i++) await testCheckConfig(busy, formValues({}), context, fake);
    await expect(testCheckConfig(busy, formValues({}), context, fake)).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/^You have tested 10 times in the last minute\. Try again in \d+ s\.$/),
    });
    expect(await testCheckConfig(other, formValues({}), context, fake)).toMatchObject({ ok: true });
  });
});
