import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encryptionKeys } from "../config/secrets.ts";
import { rotateSealedSecrets, sealedKeyId } from "../crypto/rotate.ts";
import { db } from "../db/client.ts";
import { auditOf, makeUser, signInAs, TEST_CONTEXT } from "../testing/actors.ts";
import { freePort, listen } from "../testing/prometheus.ts";
import { getDatasource, getDatasourceView, PROMETHEUS_DATASOURCE_KEY, saveDatasource, testDatasource } from "./datasource.ts";

async function admin(stepUp = true) {
  const { user } = await signInAs((await makeUser("ADMIN")).id);
  return { ...user, stepUpAt: stepUp ? new Date() : null };
}

beforeEach(async () => {
  await db.setting.deleteMany({ where: { key: PROMETHEUS_DATASOURCE_KEY } });
  delete process.env.PROMETHEUS_URL;
});
afterEach(() => {
  delete process.env.PROMETHEUS_URL;
});

describe("Prometheus data source", () => {
  it("seals the bearer token at rest and keeps it out of the audit trail and the page's view", async () => {
    const me = await admin();
    await saveDatasource(me, { url: "https://prom.example.internal:9090/", auth: "bearer", secret: "tok-ABC-123", timeoutMs: "4000" }, TEST_CONTEXT);

    const row = await db.setting.findUniqueOrThrow({ where: { key: PROMETHEUS_DATASOURCE_KEY } });
    expect(row.value).not.toContain("tok-ABC-123");
    expect(JSON.parse(row.value).secretSealed).toMatch(/^v1\./);
    expect(await getDatasource()).toMatchObject({ url: "https://prom.example.internal:9090", auth: { kind: "bearer", token: "tok-ABC-123" }, timeoutMs: 4000 });
    const view = await getDatasourceView();
    expect(view).toMatchObject({ url: "https://prom.example.internal:9090", auth: "bearer", hasSecret: true, source: "setting" });
    expect(JSON.stringify(view)).not.toContain("tok-ABC-123");

    const [event] = await auditOf("metrics.datasource_saved");
    expect(event?.changes).toMatchObject({ created: true, url: "https://prom.example.internal:9090", auth: "bearer", secret: "set" });
    expect(JSON.stringify(event)).not.toContain("tok-ABC-123");
    expect(JSON.stringify(event)).not.toContain("v1.");
  });

  it("keeps the stored secret when saved with an empty one, and drops it when auth becomes none", async () => {
    const me = await admin();
    await saveDatasource(me, { url: "http://prom:9090", auth: "basic", username: "portal", secret: "pw-1" }, TEST_CONTEXT);
    await saveDatasource(me, { url: "http://prom:9090", auth: "basic", username: "portal", secret: "", timeoutMs: 20_000 }, TEST_CONTEXT);
    expect((await getDatasource())?.auth).toEqual({ kind: "basic", username: "portal", password: "pw-1" });
    expect((await auditOf("metrics.datasource_saved")).at(-1)?.changes).toMatchObject({ changed: ["timeoutMs"], secret: "unchanged" });

    await expect(saveDatasource(me, { url: "http://prom:9090", auth: "bearer", secret: "" }, TEST_CONTEXT)).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { secret: "Enter the bearer token." },
    });
    await saveDatasource(me, { url: "http://prom:9090", auth: "none" }, TEST_CONTEXT);
    const row = await db.setting.findUniqueOrThrow({ where: { key: PROMETHEUS_DATASOURCE_KEY } });
    expect(JSON.parse(row.value).secretSealed).toBe("");
  });

  it("refuses without a fresh step-up, refuses an operator, and refuses a URL with credentials in it", async () => {
    await expect(saveDatasource(await admin(false), { url: "http://prom:9090", auth: "none" }, TEST_CONTEXT)).rejects.toMatchObject({ code: "step_up_required" });
    const operator = { ...(await signInAs((await makeUser("OPERATOR")).id)).user, stepUpAt: new Date() };
    await expect(saveDatasource(operator, { url: "http://prom:9090", auth: "none" }, TEST_CONTEXT)).rejects.toMatchObject({ code: "forbidden" });
    await expect(saveDatasource(await admin(), { url: "http://u:p@prom:9090", auth: "none" }, TEST_CONTEXT)).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { url: expect.stringContaining("without a user name, password") },
    });
    await expect(saveDatasource(await admin(), { url: "ftp://prom", auth: "none" }, TEST_CONTEXT)).rejects.toMatchObject({ code: "invalid_input" });
    expect(await db.setting.count({ where: { key: PROMETHEUS_DATASOURCE_KEY } })).toBe(0);
  });

  it("falls back to PROMETHEUS_URL when nothing is saved", async () => {
    expect(await getDatasource()).toBeNull();
    process.env.PROMETHEUS_URL = "http://127.0.0.1:9090/";
    expect(await getDatasource()).toMatchObject({ url: "http://127.0.0.1:9090", auth: { kind: "none" }, source: "env" });
    expect(await getDatasourceView()).toMatchObject({ source: "env", hasSecret: false });
  });

  it("tests the connection with the form's values, and uses the stored secret only for the saved address", async () => {
    const seen: string[] = [];
    const fake = await listen((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization ?? ""}`);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data: { version: "2.42.0" } }));
    });
    try {
      const me = await admin();
      expect(await testDatasource(me, { url: fake.url, auth: "bearer", secret: "typed" })).toMatchObject({ ok: true, version: "2.42.0" });
      await saveDatasource(me, { url: fake.url, auth: "bearer", secret: "stored" }, TEST_CONTEXT);
      expect(await testDatasource(me, { url: fake.url, auth: "bearer", secret: "" })).toMatchObject({ ok: true });
      expect(seen).toEqual(["/api/v1/status/buildinfo Bearer typed", "/api/v1/status/buildinfo Bearer stored"]);
      // Another address: the stored token is not sent there.
      await expect(testDatasource(me, { url: "http://elsewhere.example:9090", auth: "bearer", secret: "" })).rejects.toMatchObject({ code: "invalid_input" });
      const closed = `http://127.0.0.1:${await freePort()}`;
      const down = await testDatasource(me, { url: closed, auth: "none", timeoutMs: 1000 });
      expect(down).toMatchObject({ ok: false, message: `Prometheus at ${closed} did not answer: connection refused.` });
    } finally {
      await fake.close();
    }
  });

  it("is re-encrypted by keys:rotate like every other sealed secret", async () => {
    const me = await admin();
    await saveDatasource(me, { url: "http://prom:9090", auth: "bearer", secret: "rotate-me" }, TEST_CONTEXT);
    const current = encryptionKeys();
    const next = { id: `n${randomBytes(3).toString("hex")}`, key: randomBytes(32) };
    const results = await rotateSealedSecrets(db, { keys: [next, ...current], actor: { id: null, label: "keys:rotate" }, context: TEST_CONTEXT });
    expect(results.find((r) => r.column === "Setting.prometheus_datasource.secretSealed")).toMatchObject({ checked: 1, rotated: 1 });
    const row = await db.setting.findUniqueOrThrow({ where: { key: PROMETHEUS_DATASOURCE_KEY } });
    const sealed = JSON.parse(row.value).secretSealed as string;
    expect(sealedKeyId(sealed)).toBe(next.id);
    expect(JSON.parse(row.value)).toMatchObject({ url: "http://prom:9090", auth: "bearer" });
  });
});
