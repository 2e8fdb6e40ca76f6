import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { ctx, makeCast } from "../changes/testing.ts";
import { rotateSealedSecrets, sealedKeyId } from "../crypto/rotate.ts";
import { openSecret } from "../crypto/secret-box.ts";
import { encryptionKeys } from "../config/secrets.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { auditOf } from "../testing/actors.ts";
import { commandTarget, readyChange, steppedUp } from "./gates-testing.ts";
import { driverAvailable } from "./drivers/index.ts";
import { refreshLiveColour, saveDeploymentTarget } from "./target.ts";
import { triggerDeployment } from "./trigger.ts";

type Cast = Awaited<ReturnType<typeof makeCast>>;
let cast: Cast;

beforeEach(async () => {
  cast = await makeCast();
});

const commandConfig = { deployCommand: "./deploy.sh", switchCommand: "./switch.sh", statusCommand: "cat /tmp/none", timeoutMs: 60_000 };

const input = (overrides: Record<string, unknown> = {}) => ({
  serviceId: cast.service.id,
  driver: "COMMAND",
  blueUrl: "http://10.0.0.5:8080",
  greenUrl: "http://10.0.0.6:8080",
  healthPath: "/healthz",
  healthSuccesses: 3,
  healthIntervalMs: 1000,
  healthTimeoutMs: 30_000,
  validationWindowMs: 60_000,
  validationIntervalMs: 500,
  maxErrorRatePct: 1,
  maxP95LatencyMs: 400,
  driverConfig: JSON.stringify(commandConfig),
  ...overrides,
});

async function fieldErrorsOf(p: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError && err.code === "invalid_input") return err.fieldErrors ?? {};
    throw err;
  }
  throw new Error("the save was not refused");
}

describe("saveDeploymentTarget", () => {
  it("creates a target, then updates it, audited with what changed", async () => {
    const admin = steppedUp(cast.admin);
    expect(await saveDeploymentTarget(admin, input(), ctx)).toEqual({ serviceId: cast.service.id, created: true });
    const saved = await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: cast.service.id } });
    expect(saved).toMatchObject({ driver: "COMMAND", healthPath: "/healthz", maxP95LatencyMs: 400, webhookSecretSealed: "" });
    expect(JSON.parse(saved.driverConfig)).toEqual(commandConfig);

    expect(await saveDeploymentTarget(admin, input({ maxP95LatencyMs: "250" }), ctx)).toMatchObject({ created: false });
    const events = await auditOf("deployment.target_saved", cast.service.id);
    expect(events).toHaveLength(2);
    expect(events[0]?.changes).toMatchObject({ created: true, driver: "COMMAND", driverConfig: commandConfig, webhookSecret: "none" });
    expect(events[1]?.changes).toMatchObject({ created: false, changed: ["maxP95LatencyMs"], maxP95LatencyMs: 250 });
  });

  it("refuses URLs that are not http(s), numbers out of bounds, and driver settings its driver's schema rejects", async () => {
    const admin = steppedUp(cast.admin);
    const errors = await fieldErrorsOf(
      saveDeploymentTarget(
        admin,
        input({ blueUrl: "file:///etc/passwd", greenUrl: "javascript:alert(1)", healthSuccesses: 0, healthIntervalMs: 10, maxErrorRatePct: 150, healthPath: "health" }),
        ctx,
      ),
    );
    expect(Object.keys(errors).sort()).toEqual(["blueUrl", "greenUrl", "healthIntervalMs", "healthPath", "healthSuccesses", "maxErrorRatePct"]);
    expect(errors.blueUrl).toBe("The blue URL must be an http:// or https:// address, without a user name or password.");
    expect(errors.healthSuccesses).toBe("The number of consecutive health checks is at least 1.");

    expect(await fieldErrorsOf(saveDeploymentTarget(admin, input({ greenUrl: "http://10.0.0.5:8080" }), ctx))).toMatchObject({
      greenUrl: "Blue and green must be different addresses.",
    });
    expect(await fieldErrorsOf(saveDeploymentTarget(admin, input({ driverConfig: "{not json" }), ctx))).toEqual({ driverConfig: "The driver settings are not valid JSON." });
    const config = await fieldErrorsOf(saveDeploymentTarget(admin, input({ driverConfig: JSON.stringify({ deployCommand: "x" }) }), ctx));
    expect(config).toMatchObject({ driverConfig: expect.any(String), "driverConfig.switchCommand": expect.any(String) });
    expect(await db.deploymentTarget.count({ where: { serviceId: cast.service.id } })).toBe(0);
  });

  it("seals the webhook secret, keeps it when left blank, and never writes it to the audit trail", async () => {
    const admin = steppedUp(cast.admin);
    const secret = "s3cr3t-hmac-key-0123456789";
    await saveDeploymentTarget(admin, input({ webhookSecret: secret }), ctx);
    const sealed = (await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: cast.service.id } })).webhookSecretSealed;
    expect(sealed).not.toContain(secret);
    expect(openSecret(sealed)).toBe(secret);

    await saveDeploymentTarget(admin, input({ healthPath: "/ready" }), ctx);
    await saveDeploymentTarget(admin, input({ healthPath: "/ready2", webhookSecret: "another-one" }), ctx);
    const events = await db.auditEvent.findMany({ where: { action: "deployment.target_saved", targetId: cast.service.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => JSON.parse(e.changes).webhookSecret)).toEqual(["set", "none", "set"]);
    for (const e of events) {
      expect(e.changes).not.toContain(secret);
      expect(e.changes).not.toContain("another-one");
      expect(e.changes).not.toContain("v1.");
    }
  });

  it.skipIf(!driverAvailable("WEBHOOK"))("asks for a secret for the webhook driver and keeps the stored one when left blank", async () => {
    const admin = steppedUp(cast.admin);
    const webhook = input({ driver: "WEBHOOK", driverConfig: { url: "https://ci.example/deploy", pollIntervalMs: 1000, timeoutMs: 600_000 } });
    expect(await fieldErrorsOf(saveDeploymentTarget(admin, webhook, ctx))).toMatchObject({ webhookSecret: "Enter the webhook secret." });
    await saveDeploymentTarget(admin, { ...webhook, webhookSecret: "hmac" }, ctx);
    const sealed = (await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: cast.service.id } })).webhookSecretSealed;
    await saveDeploymentTarget(admin, { ...webhook, healthPath: "/ready" }, ctx);
    expect((await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: cast.service.id } })).webhookSecretSealed).toBe(sealed);
  });

  it("has the webhook secret re-encrypted by key rotation", async () => {
    await saveDeploymentTarget(steppedUp(cast.admin), input({ webhookSecret: "rotate-me" }), ctx);
    const next = { id: "next", key: randomBytes(32) };
    const results = await rotateSealedSecrets(db, { keys: [next, ...encryptionKeys()], actor: { id: null, label: "test" }, context: ctx });
    expect(results.find((r) => r.column === "DeploymentTarget.webhookSecretSealed")).toMatchObject({ unreadable: 0, skipped: 0 });
    const sealed = (await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: cast.service.id } })).webhookSecretSealed;
    expect(sealedKeyId(sealed)).toBe("next");
    expect(openSecret(sealed, [next])).toBe("rotate-me");
  });

  it("is for administrators behind step-up only", async () => {
    await expect(saveDeploymentTarget(steppedUp(cast.rm), input(), ctx)).rejects.toMatchObject({ code: "forbidden" });
    await expect(saveDeploymentTarget({ ...cast.admin, stepUpAt: null }, input(), ctx)).rejects.toMatchObject({ code: "step_up_required" });
  });

  it("refuses edits while a deployment of the service runs", async () => {
    await commandTarget(cast.service.id);
    const c = await readyChange(cast.requester, cast.rm, cast.service.id);
    const r = await triggerDeployment(steppedUp(cast.rm), { changeId: c.id, idempotencyKey: "once" }, ctx);
    await expect(saveDeploymentTarget(steppedUp(cast.admin), input(), ctx)).rejects.toThrow(
      `A deployment of ${cast.service.name} (${r.reference}) is running; save the target when it has finished.`,
    );
  });
});

describe("refreshLiveColour", () => {
  it("stores the colour the target reports, with the time it was read", async () => {
    const { setLive } = await commandTarget(cast.service.id, "GREEN");
    expect(await refreshLiveColour(cast.service.id)).toMatchObject({ colour: "GREEN" });
    await setLive(null);
    expect(await refreshLiveColour(cast.service.id)).toMatchObject({ colour: null });
    expect(await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: cast.service.id } })).toMatchObject({ liveColour: null, liveCheckedAt: expect.any(Date) });
  });
});
