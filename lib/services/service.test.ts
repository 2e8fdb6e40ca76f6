import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { auditOf, makeUser, signInAs, TEST_CONTEXT } from "../testing/actors.ts";
import { parseInput } from "../validation/parse.ts";
import { getServiceDetail, listServiceCatalogue, listStakeholderCandidates } from "./queries.ts";
import { ZCreateServiceInput, ZUpdateServiceInput, type TCreateServiceInput } from "./schemas.ts";
import { createService, updateService } from "./service.ts";

const context = TEST_CONTEXT;

async function actor(role: "OPERATOR" | "ADMIN" | "VIEWER" | "RELEASE_MANAGER") {
  return (await signInAs((await makeUser(role)).id)).user;
}

function input(overrides: Partial<Record<keyof TCreateServiceInput, unknown>> = {}): TCreateServiceInput {
  const parsed = parseInput(ZCreateServiceInput, {
    name: "ledger",
    environment: "PRODUCTION",
    ownerTeam: "Finance",
    tier: "2",
    description: "General ledger",
    repoUrl: "https://git.example.internal/finance/ledger",
    runbookUrl: "",
    dashboardUrl: "",
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.data;
}

describe("services catalogue", () => {
  beforeEach(async () => {
    await db.changeRequest.deleteMany();
    await db.serviceStakeholder.deleteMany();
    await db.service.deleteMany();
  });

  it("creates a service with its links and named stakeholders, and audits it with the stakeholders by name", async () => {
    const ops = await actor("OPERATOR");
    const sam = await makeUser("STAKEHOLDER", { name: "Sam Stake" });
    const ada = await makeUser("ADMIN", { name: "Ada Admin" });
    const saved = await createService(ops, input({ stakeholderIds: [sam.id, ada.id] }), context);

    const detail = await getServiceDetail(saved.id);
    expect(detail).toMatchObject({
      name: "ledger",
      environment: "PRODUCTION",
      ownerTeam: "Finance",
      tier: 2,
      repoUrl: "https://git.example.internal/finance/ledger",
      recentChanges: [],
    });
    expect(detail?.stakeholders.map((s) => s.name)).toEqual(["Ada Admin", "Sam Stake"]);
    expect((await listServiceCatalogue()).map((s) => [s.name, s.stakeholderCount])).toEqual([["ledger", 2]]);

    const [event] = await auditOf("service.created", saved.id);
    expect(event).toMatchObject({ actorId: ops.id, targetType: "Service", ip: context.ip });
    expect(event?.changes).toMatchObject({
      name: "ledger",
      environment: "PRODUCTION",
      tier: 2,
      repoUrl: "https://git.example.internal/finance/ledger",
      stakeholders: ["Ada Admin", "Sam Stake"],
    });
  });

  it("refuses a VIEWER, writes nothing and audits the refusal", async () => {
    const viewer = await actor("VIEWER");
    await expect(createService(viewer, input(), context)).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.service.count()).toBe(0);
    const denied = await db.auditEvent.findFirstOrThrow({ where: { action: "access.denied", actorId: viewer.id } });
    expect(JSON.parse(denied.changes)).toEqual({ permission: "service.write", attempted: "service.create" });

    const ops = await actor("OPERATOR");
    const saved = await createService(ops, input(), context);
    await expect(updateService(viewer, { ...input({ tier: 1 }), serviceId: saved.id }, context)).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await db.service.findUniqueOrThrow({ where: { id: saved.id } })).tier).toBe(2);
    expect(await db.auditEvent.count({ where: { action: "access.denied", actorId: viewer.id } })).toBe(2);
  });

  it("refuses a second service with the same name in the same environment, and allows it in the other", async () => {
    const ops = await actor("OPERATOR");
    await createService(ops, input(), context);
    const message = "There is already a production service named ledger. Choose another name or environment.";
    await expect(createService(ops, input(), context)).rejects.toMatchObject({
      code: "invalid_input",
      message,
      fieldErrors: { name: message },
    });
    await createService(ops, input({ environment: "STAGING" }), context);
    expect(await db.service.count({ where: { name: "ledger" } })).toBe(2);
    const ids = (await db.service.findMany({ where: { name: "ledger" }, select: { id: true } })).map((r) => r.id);
    expect((await auditOf("service.created")).filter((e) => ids.includes(e.targetId))).toHaveLength(2);
  });

  it("lets the unique index decide when two people create the same service at the same moment", async () => {
    const [a, b] = [await actor("OPERATOR"), await actor("ADMIN")];
    const results = await Promise.allSettled([
      createService(a, input({ name: "race" }), context),
      createService(b, input({ name: "race" }), context),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({
      reason: { code: "invalid_input", fieldErrors: { name: expect.stringContaining("named race") } },
    });
    expect(await db.service.count({ where: { name: "race" } })).toBe(1);
    expect((await auditOf("service.created")).filter((e) => e.changes.name === "race")).toHaveLength(1);
  });

  it("refuses renaming a service onto another one's name in that environment", async () => {
    const ops = await actor("OPERATOR");
    await createService(ops, input({ name: "alpha" }), context);
    const beta = await createService(ops, input({ name: "beta" }), context);
    await expect(updateService(ops, { ...input({ name: "alpha" }), serviceId: beta.id }, context)).rejects.toMatchObject({
      fieldErrors: { name: "There is already a production service named alpha. Choose another name or environment." },
    });
  });

  it("refuses a link that is not an http or https address, naming the field", () => {
    for (const bad of ["javascript:alert(1)", "ftp://files.example.internal/x", "git.example.internal/repo", "https://"]) {
      const parsed = parseInput(ZCreateServiceInput, { ...input(), runbookUrl: bad });
      expect(parsed, bad).toMatchObject({
        ok: false,
        fieldErrors: { runbookUrl: "Enter the full runbook address starting with https:// or http://, or leave it empty." },
      });
    }
    expect(parseInput(ZCreateServiceInput, { ...input(), dashboardUrl: " http://grafana.example.internal/d/ledger " })).toMatchObject({
      ok: true,
      data: { dashboardUrl: "http://grafana.example.internal/d/ledger" },
    });
  });

  it("accepts the stakeholder checkboxes of a form: none, one or several", () => {
    const base = { ...input(), stakeholderIds: undefined };
    expect(parseInput(ZCreateServiceInput, base)).toMatchObject({ ok: true, data: { stakeholderIds: [] } });
    expect(parseInput(ZCreateServiceInput, { ...base, stakeholderIds: "u1" })).toMatchObject({ data: { stakeholderIds: ["u1"] } });
    expect(parseInput(ZCreateServiceInput, { ...base, stakeholderIds: ["u1", "u2", "u1"] })).toMatchObject({
      data: { stakeholderIds: ["u1", "u2"] },
    });
  });

  it("refuses a stakeholder whose role cannot sign off UAT, and a deactivated one", async () => {
    const ops = await actor("OPERATOR");
    const viewer = await makeUser("VIEWER", { name: "Vic View" });
    await expect(createService(ops, input({ stakeholderIds: [viewer.id] }), context)).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: {
        stakeholderIds: "Vic View (Viewer) cannot sign off UAT, so cannot be a stakeholder. Choose people whose role allows UAT sign-off.",
      },
    });
    const gone = await makeUser("STAKEHOLDER", { name: "Gus Gone", active: false });
    await expect(createService(ops, input({ stakeholderIds: [gone.id] }), context)).rejects.toMatchObject({
      fieldErrors: { stakeholderIds: expect.stringContaining("Gus Gone (deactivated)") },
    });
    expect(await db.service.count()).toBe(0);
    expect((await listStakeholderCandidates()).map((u) => u.name)).not.toContain("Vic View");
  });

  it("updates a service and audits what changed, stakeholders added and removed by name", async () => {
    const ops = await actor("OPERATOR");
    const [sam, sue] = [await makeUser("STAKEHOLDER", { name: "Sam Stake" }), await makeUser("STAKEHOLDER", { name: "Sue Stake" })];
    const saved = await createService(ops, input({ stakeholderIds: [sam.id] }), context);
    const admin = await actor("ADMIN");
    const parsed = parseInput(ZUpdateServiceInput, {
      ...input({ stakeholderIds: [sue.id], tier: "1", runbookUrl: "https://wiki.example.internal/runbooks/ledger" }),
      serviceId: saved.id,
    });
    if (!parsed.ok) throw new Error(parsed.message);

    const result = await updateService(admin, parsed.data, context);
    expect(result.changed).toEqual(["tier", "runbookUrl", "stakeholders"]);
    const detail = await getServiceDetail(saved.id);
    expect(detail).toMatchObject({ tier: 1, runbookUrl: "https://wiki.example.internal/runbooks/ledger" });
    expect(detail?.stakeholders.map((s) => s.name)).toEqual(["Sue Stake"]);

    const [event] = await auditOf("service.updated", saved.id);
    expect(event?.actorId).toBe(admin.id);
    expect(event?.changes).toEqual({
      service: "ledger (PRODUCTION)",
      tier: { from: 2, to: 1 },
      runbookUrl: { from: "", to: "https://wiki.example.internal/runbooks/ledger" },
      stakeholders: { added: ["Sue Stake"], removed: ["Sam Stake"] },
    });

    // Saving the same values again changes nothing and writes no event.
    expect((await updateService(admin, parsed.data, context)).changed).toEqual([]);
    expect(await auditOf("service.updated", saved.id)).toHaveLength(1);
  });

  it("keeps a stakeholder whose role changed since they were named, until someone removes them", async () => {
    const ops = await actor("OPERATOR");
    const sam = await makeUser("STAKEHOLDER", { name: "Sam Stake" });
    const saved = await createService(ops, input({ stakeholderIds: [sam.id] }), context);
    await db.user.update({ where: { id: sam.id }, data: { role: "VIEWER" } });
    await updateService(ops, { ...input({ stakeholderIds: [sam.id], ownerTeam: "Treasury" }), serviceId: saved.id }, context);
    expect((await getServiceDetail(saved.id))?.stakeholders.map((s) => s.name)).toEqual(["Sam Stake"]);
  });

  it("filters the catalogue by environment and team and searches by name", async () => {
    const ops = await actor("OPERATOR");
    await createService(ops, input({ name: "ledger" }), context);
    await createService(ops, input({ name: "ledger", environment: "STAGING" }), context);
    await createService(ops, input({ name: "payments-api", ownerTeam: "Payments" }), context);
    const names = async (f: Parameters<typeof listServiceCatalogue>[0]) =>
      (await listServiceCatalogue(f)).map((s) => `${s.name}/${s.environment}`);
    expect(await names({ environment: "STAGING" })).toEqual(["ledger/STAGING"]);
    expect(await names({ team: "Payments" })).toEqual(["payments-api/PRODUCTION"]);
    expect(await names({ q: "LEDG" })).toEqual(["ledger/PRODUCTION", "ledger/STAGING"]);
    expect(await names({ q: "ledger", environment: "PRODUCTION" })).toEqual(["ledger/PRODUCTION"]);
  });

  it("shows a service's ten newest change requests with their CHG numbers, newest first", async () => {
    const ops = await actor("OPERATOR");
    const saved = await createService(ops, input(), context);
    const start = new Date("2026-12-01T10:00:00Z");
    for (let n = 1; n <= 12; n++) {
      await db.changeRequest.create({
        data: {
          number: 100 + n,
          title: `Release ${n}`,
          serviceId: saved.id,
          type: "NORMAL",
          risk: "LOW",
          plannedStart: start,
          plannedEnd: new Date(start.getTime() + 3_600_000),
          requesterId: ops.id,
          status: n === 12 ? "SUBMITTED" : "DRAFT",
        },
      });
    }
    const recent = (await getServiceDetail(saved.id))?.recentChanges ?? [];
    expect(recent).toHaveLength(10);
    expect(recent[0]).toMatchObject({ number: "CHG-000112", title: "Release 12", status: "SUBMITTED", plannedStart: start });
    expect(recent.at(-1)?.number).toBe("CHG-000103");
  });

  it("refuses to edit a service that no longer exists", async () => {
    const ops = await actor("OPERATOR");
    await expect(updateService(ops, { ...input(), serviceId: "gone" }, context)).rejects.toMatchObject({ code: "not_found" });
  });
});
