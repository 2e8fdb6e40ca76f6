import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { auditOf, makeUser, signInAs, TEST_CONTEXT } from "../testing/actors.ts";
import { parseInput } from "../validation/parse.ts";
import { listServiceChecks, getServiceCheck, displayState, certificateWarning } from "./check-queries.ts";
import { ZCreateCheckInput, ZUpdateCheckInput, type TCreateCheckInput } from "./check-schemas.ts";
import { CHECK_CONFLICT_MESSAGE, createCheck, deleteCheck, pauseCheck, resumeCheck, updateCheck } from "./checks.ts";
import { registerHealthScheduler } from "./scheduler-hook.ts";

const context = TEST_CONTEXT;

async function actor(role: Parameters<typeof makeUser>[0]) {
  return (await signInAs((await makeUser(role)).id)).user;
}

let serviceCounter = 0;
async function service() {
  serviceCounter++;
  return db.service.create({ data: { name: `checks-svc-${serviceCounter}`, environment: "PRODUCTION", ownerTeam: "Payments", tier: 1 } });
}

function httpInput(serviceId: string, extra: Record<string, unknown> = {}): TCreateCheckInput {
  const parsed = parseInput(ZCreateCheckInput, {
    serviceId,
    kind: "HTTP",
    name: "Public API",
    url: "https://payments.example.test/health",
    method: "GET",
    expectedStatusMin: "200",
    expectedStatusMax: "299",
    intervalSeconds: "30",
    timeoutMs: "2000",
    retries: "2",
    ...extra,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
  return parsed.data;
}

function errorsOf(schema: typeof ZCreateCheckInput | typeof ZUpdateCheckInput, raw: Record<string, unknown>) {
  const parsed = parseInput(schema, raw);
  return parsed.ok ? {} : parsed.fieldErrors;
}

let kicks = 0;
beforeEach(async () => {
  kicks = 0;
  registerHealthScheduler(() => kicks++);
  await db.healthCheck.deleteMany();
  await db.maintenanceWindow.deleteMany();
});
afterEach(() => registerHealthScheduler(null));

describe("check validation", () => {
  it("says which HTTP field is wrong and how to fix it", () => {
    const errors = errorsOf(ZCreateCheckInput, {
      serviceId: "s",
      kind: "HTTP",
      name: " ",
      url: "ftp://files.example.test/",
      method: "DELETE",
      expectedStatusMin: "500",
      expectedStatusMax: "200",
      keyword: "x".repeat(201),
      tlsExpiryWarnDays: "400",
      retries: "11",
    });
    expect(errors).toEqual({
      name: 'Give the check a name, e.g. "Public API /health".',
      url: "Enter the full URL starting with http:// or https://, e.g. https://payments.internal/health.",
      method: "Choose GET, HEAD or POST.",
      keyword: "Keep the keyword under 200 characters.",
      tlsExpiryWarnDays: "The certificate warning in days must be between 0 (no warning) and 365 days.",
      retries: "The number of retries must be between 0 and 10.",
    });
    expect(errorsOf(ZCreateCheckInput, { serviceId: "s", kind: "HTTP", name: "a", url: "https://x.test", expectedStatusMin: "500", expectedStatusMax: "200" })).toEqual({
      expectedStatusMax: "The highest expected status must be at least the lowest, e.g. 200 to 299.",
    });
    expect(errorsOf(ZCreateCheckInput, { serviceId: "s", kind: "HTTP", name: "a", url: "https://x.test", expectedStatusMin: "99" })).toEqual({
      expectedStatusMin: "The lowest expected status must be a status code from 100 to 599.",
    });
  });

  it("says which TCP field is wrong, and asks for the kind when it is missing", () => {
    expect(errorsOf(ZCreateCheckInput, { serviceId: "s", kind: "TCP", name: "db", host: "http://db.internal", port: "70000" })).toEqual({
      host: "Enter a host name or IP address only, without http:// or a port, e.g. db.internal.",
      port: "The port must be between 1 and 65535.",
    });
    expect(errorsOf(ZCreateCheckInput, { serviceId: "s", kind: "TCP", name: "db", host: "db.internal" })).toEqual({ port: "Enter the port." });
    expect(errorsOf(ZCreateCheckInput, { serviceId: "s", name: "db" })).toEqual({ kind: "Choose what to check: HTTP(S) or TCP." });
  });

  it("keeps the interval between 10 s and a day and the timeout within the interval and 60 s", () => {
    const base = { serviceId: "s", kind: "TCP", name: "db", host: "10.0.0.5", port: "5432" };
    expect(errorsOf(ZCreateCheckInput, { ...base, intervalSeconds: "5" })).toEqual({
      intervalSeconds: "The interval must be between 10 and 86,400 seconds (one day).",
    });
    expect(errorsOf(ZCreateCheckInput, { ...base, intervalSeconds: "86401" })).toEqual({
      intervalSeconds: "The interval in seconds must be at most 86,400 seconds (one day).",
    });
    expect(errorsOf(ZCreateCheckInput, { ...base, intervalSeconds: "20", timeoutMs: "20001" })).toEqual({
      timeoutMs: "The timeout must be at most 20,000 ms: a probe has to finish before the next one is due.",
    });
    expect(errorsOf(ZCreateCheckInput, { ...base, intervalSeconds: "3600", timeoutMs: "60001" })).toEqual({
      timeoutMs: "The timeout in milliseconds must be between 100 and 60,000 ms.",
    });
    expect(errorsOf(ZCreateCheckInput, { ...base, timeoutMs: "99" })).toEqual({
      timeoutMs: "The timeout in milliseconds must be between 100 and 60,000 ms.",
    });
    expect(errorsOf(ZCreateCheckInput, { ...base, intervalSeconds: "ten" })).toEqual({
      intervalSeconds: "Enter the interval in seconds as a whole number.",
    });
  });

  it("lets HEALTH_MIN_INTERVAL_SECONDS lower the shortest interval for tests and demos, never below 1 s", () => {
    const base = { serviceId: "s", kind: "TCP", name: "db", host: "db.internal", port: "5432", timeoutMs: "500" };
    const saved = process.env.HEALTH_MIN_INTERVAL_SECONDS;
    try {
      process.env.HEALTH_MIN_INTERVAL_SECONDS = "2";
      expect(errorsOf(ZCreateCheckInput, { ...base, intervalSeconds: "2" })).toEqual({});
      expect(errorsOf(ZCreateCheckInput, { ...base, intervalSeconds: "1" })).toEqual({
        intervalSeconds: "The interval must be between 2 and 86,400 seconds (one day).",
      });
      process.env.HEALTH_MIN_INTERVAL_SECONDS = "0";
      expect(errorsOf(ZCreateCheckInput, { ...base, intervalSeconds: "2" })).toHaveProperty("intervalSeconds");
    } finally {
      if (saved === undefined) delete process.env.HEALTH_MIN_INTERVAL_SECONDS;
      else process.env.HEALTH_MIN_INTERVAL_SECONDS = saved;
    }
  });

  it("fills blank fields with their defaults and stores the other kind's fields as defaults", () => {
    const parsed = parseInput(ZCreateCheckInput, { serviceId: "s", kind: "TCP", name: "db", host: "[::1]", port: "5432", url: "https://ignored", intervalSeconds: "", timeoutMs: "", retries: "" });
    expect(parsed).toEqual({
      ok: true,
      data: expect.objectContaining({ host: "::1", port: 5432, url: "", method: "GET", intervalSeconds: 60, timeoutMs: 5000, retries: 1, ignoreTlsErrors: false }),
    });
  });
});

describe("managing checks", () => {
  it("lets an operator create a check with its PENDING state, audited, and kicks the scheduler after the commit", async () => {
    const operator = await actor("OPERATOR");
    const svc = await service();
    const created = await createCheck(operator, httpInput(svc.id, { keyword: "ok", ignoreTlsErrors: "on" }), context);

    const [check] = await listServiceChecks(svc.id);
    expect(check).toMatchObject({ id: created.id, name: "Public API", kind: "HTTP", expectedStatusMax: 299, keyword: "ok", ignoreTlsErrors: true, paused: false, revision: 0 });
    expect(check?.state).toMatchObject({ status: "PENDING", consecutiveFailures: 0, lastCheckedAt: null });
    expect(displayState(check!)).toBe("PENDING");
    const [event] = await auditOf("health.check_created", created.id);
    expect(event).toMatchObject({ actorId: operator.id, targetType: "HealthCheck", ip: context.ip });
    expect(event?.changes).toMatchObject({ service: svc.name, name: "Public API", kind: "HTTP", target: "GET https://payments.example.test/health", expectedStatus: "200-299" });
    expect(kicks).toBe(1);
  });

  it("refuses a second check with the same name on the same service, but allows it on another", async () => {
    const operator = await actor("OPERATOR");
    const [a, b] = [await service(), await service()];
    await createCheck(operator, httpInput(a.id), context);
    await expect(createCheck(operator, httpInput(a.id), context)).rejects.toMatchObject({
      code: "invalid_input",
      message: `${a.name} already has a check named "Public API". Choose another name.`,
      fieldErrors: { name: `${a.name} already has a check named "Public API". Choose another name.` },
    });
    await createCheck(operator, httpInput(b.id), context);
    expect(await db.healthCheck.count()).toBe(2);
  });

  it("refuses a viewer every change, writes nothing, and audits each refusal", async () => {
    const operator = await actor("OPERATOR");
    const svc = await service();
    const check = await createCheck(operator, httpInput(svc.id), context);
    for (const role of ["VIEWER", "STAKEHOLDER", "AUDITOR", "RELEASE_MANAGER"] as const) {
      const someone = await actor(role);
      const refusal = { code: "forbidden", message: "Only operators and administrators manage health checks and maintenance." };
      await expect(createCheck(someone, httpInput(svc.id, { name: "Other" }), context)).rejects.toMatchObject(refusal);
      await expect(updateCheck(someone, { ...httpInput(svc.id, { name: "Renamed" }), checkId: check.id, revision: 0 }, context)).rejects.toMatchObject(refusal);
      await expect(pauseCheck(someone, { checkId: check.id }, context)).rejects.toMatchObject(refusal);
      await expect(resumeCheck(someone, { checkId: check.id }, context)).rejects.toMatchObject(refusal);
      await expect(deleteCheck(someone, { checkId: check.id }, context)).rejects.toMatchObject(refusal);
      const denied = await db.auditEvent.findMany({ where: { action: "access.denied", actorId: someone.id }, orderBy: { seq: "asc" } });
      expect(denied.map((d) => JSON.parse(d.changes))).toEqual(
        ["create", "update", "pause", "resume", "delete"].map((what) => ({ permission: "health.manage", attempted: `health.check_${what}` })),
      );
    }
    expect(await db.healthCheck.findUniqueOrThrow({ where: { id: check.id } })).toMatchObject({ name: "Public API", paused: false, revision: 0 });
  });

  it("saves an edit with its diff in the audit trail and bumps the revision", async () => {
    const admin = await actor("ADMIN");
    const svc = await service();
    const check = await createCheck(admin, httpInput(svc.id), context);
    const saved = await updateCheck(admin, { ...httpInput(svc.id, { intervalSeconds: "60", keyword: "healthy" }), checkId: check.id, revision: 0 }, context);
    expect(saved).toMatchObject({ revision: 1, changed: ["keyword", "intervalSeconds"] });
    const [event] = await auditOf("health.check_updated", check.id);
    expect(event?.changes).toEqual({ service: svc.name, check: "Public API", keyword: { from: "", to: "healthy" }, intervalSeconds: { from: 30, to: 60 } });
    expect((await getServiceCheck(svc.id, check.id))?.revision).toBe(1);
    expect(await getServiceCheck("another-service", check.id)).toBeNull();
  });

  it("refuses an edit made on an older revision with a conflict that says what happened, and keeps the other save", async () => {
    const [alice, bob] = [await actor("OPERATOR"), await actor("OPERATOR")];
    const svc = await service();
    const check = await createCheck(alice, httpInput(svc.id), context);
    await updateCheck(alice, { ...httpInput(svc.id, { timeoutMs: "1000" }), checkId: check.id, revision: 0 }, context);
    await expect(updateCheck(bob, { ...httpInput(svc.id, { timeoutMs: "3000" }), checkId: check.id, revision: 0 }, context)).rejects.toMatchObject({
      code: "conflict",
      message: CHECK_CONFLICT_MESSAGE,
    });
    expect((await db.healthCheck.findUniqueOrThrow({ where: { id: check.id } })).timeoutMs).toBe(1000);
    expect(await auditOf("health.check_updated", check.id)).toHaveLength(1);
  });

  it("lets exactly one of two simultaneous edits of the same revision win", async () => {
    const operator = await actor("OPERATOR");
    const svc = await service();
    const check = await createCheck(operator, httpInput(svc.id), context);
    const results = await Promise.allSettled(
      ["1000", "3000"].map((t) => updateCheck(operator, { ...httpInput(svc.id, { timeoutMs: t }), checkId: check.id, revision: 0 }, context)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toMatchObject([{ code: "conflict" }]);
    expect((await db.healthCheck.findUniqueOrThrow({ where: { id: check.id } })).revision).toBe(1);
  });

  it("refuses renaming a check to a name its service already uses", async () => {
    const operator = await actor("OPERATOR");
    const svc = await service();
    await createCheck(operator, httpInput(svc.id, { name: "Homepage" }), context);
    const check = await createCheck(operator, httpInput(svc.id), context);
    await expect(updateCheck(operator, { ...httpInput(svc.id, { name: "Homepage" }), checkId: check.id, revision: 0 }, context)).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { name: `${svc.name} already has a check named "Homepage". Choose another name.` },
    });
  });

  it("writes nothing for an edit that changes nothing", async () => {
    const operator = await actor("OPERATOR");
    const svc = await service();
    const check = await createCheck(operator, httpInput(svc.id), context);
    kicks = 0;
    expect(await updateCheck(operator, { ...httpInput(svc.id), checkId: check.id, revision: 0 }, context)).toMatchObject({ changed: [], revision: 0 });
    expect(await auditOf("health.check_updated", check.id)).toHaveLength(0);
    expect(kicks).toBe(0);
  });

  it("pauses a check and resumes it back to PENDING with its failures forgotten, each audited", async () => {
    const operator = await actor("OPERATOR");
    const svc = await service();
    const check = await createCheck(operator, httpInput(svc.id), context);
    const longAgo = new Date(Date.now() - 86_400_000);
    await db.healthCheckState.update({ where: { checkId: check.id }, data: { status: "DOWN", consecutiveFailures: 4, statusSince: longAgo } });

    const createdAt = (await db.healthCheck.findUniqueOrThrow({ where: { id: check.id } })).updatedAt;
    await new Promise((r) => setTimeout(r, 5));
    await pauseCheck(operator, { checkId: check.id }, context);
    // updatedAt is what tells the scheduler the check changed.
    expect((await db.healthCheck.findUniqueOrThrow({ where: { id: check.id } })).updatedAt.getTime()).toBeGreaterThan(createdAt.getTime());
    expect(displayState((await getServiceCheck(svc.id, check.id))!)).toBe("PAUSED");
    await expect(pauseCheck(operator, { checkId: check.id }, context)).rejects.toMatchObject({ code: "conflict", message: "Public API is already paused." });

    const now = new Date();
    await resumeCheck(operator, { checkId: check.id }, context, now);
    const resumed = await getServiceCheck(svc.id, check.id);
    expect(resumed).toMatchObject({ paused: false, state: { status: "PENDING", consecutiveFailures: 0, statusSince: now } });
    await expect(resumeCheck(operator, { checkId: check.id }, context)).rejects.toMatchObject({ code: "conflict", message: "Public API is not paused." });

    expect((await auditOf("health.check_paused", check.id)).map((e) => e.changes)).toEqual([{ service: svc.name, check: "Public API" }]);
    expect(await auditOf("health.check_resumed", check.id)).toHaveLength(1);
    expect(kicks).toBe(3);
  });

  it("deletes a check with its state and samples, and the audit event keeps what it was", async () => {
    const operator = await actor("OPERATOR");
    const svc = await service();
    const check = await createCheck(operator, httpInput(svc.id, { kind: "TCP", host: "db.internal", port: "5432" }), context);
    await db.healthSample.create({ data: { checkId: check.id, at: new Date(), ok: true, latencyMs: 3 } });
    await deleteCheck(operator, { checkId: check.id }, context);
    expect(await db.healthCheck.count()).toBe(0);
    expect(await db.healthCheckState.count({ where: { checkId: check.id } })).toBe(0);
    expect(await db.healthSample.count({ where: { checkId: check.id } })).toBe(0);
    const [event] = await auditOf("health.check_deleted", check.id);
    expect(event?.changes).toMatchObject({ service: svc.name, name: "Public API", kind: "TCP", target: "db.internal:5432" });
    await expect(deleteCheck(operator, { checkId: check.id }, context)).rejects.toMatchObject({ code: "not_found" });
  });

  it("warns about a certificate inside the check's warning days, and about an expired one", () => {
    const now = new Date("2026-11-27T12:00:00Z");
    const check = (days: number | null, warn = 14) => ({
      kind: "HTTP" as const,
      tlsExpiryWarnDays: warn,
      state: { certExpiresAt: days === null ? null : new Date(now.getTime() + days * 86_400_000) },
    });
    expect(certificateWarning(check(30), now)).toBeNull();
    expect(certificateWarning(check(10), now)).toBe("expiring");
    expect(certificateWarning(check(10, 0), now)).toBeNull();
    expect(certificateWarning(check(-1), now)).toBe("expired");
    expect(certificateWarning(check(null), now)).toBeNull();
  });
});
