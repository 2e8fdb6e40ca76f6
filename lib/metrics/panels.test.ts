import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { auditOf, makeUser, signInAs, TEST_CONTEXT } from "../testing/actors.ts";
import { PROMETHEUS_DATASOURCE_KEY } from "./datasource.ts";
import { BUILTIN_PANELS, deletePanel, isLabelMatcherList, listCustomPanels, NO_DATASOURCE_MESSAGE, runServicePanel, savePanel, saveSelectors } from "./panels.ts";
import { expandVariables, rateWindowSeconds, stepFor } from "./prometheus.ts";

async function actor(role: "OPERATOR" | "VIEWER" | "ADMIN") {
  return (await signInAs((await makeUser(role)).id)).user;
}

let serviceId = "";
beforeEach(async () => {
  await db.metricPanel.deleteMany();
  await db.service.deleteMany();
  await db.setting.deleteMany({ where: { key: PROMETHEUS_DATASOURCE_KEY } });
  delete process.env.PROMETHEUS_URL;
  serviceId = (await db.service.create({ data: { name: "checkout", environment: "PRODUCTION", ownerTeam: "Payments", tier: 1 } })).id;
});

describe("service selectors", () => {
  it("accepts label-matcher lists and nothing else, so a selector cannot add PromQL of its own", () => {
    for (const ok of ["", 'instance="db1:9100"', 'instance="db1:9100",job="node"', ' job =~ "api|web" , env!="dev" ', 'a="say \\"hi\\""', 'job="x",']) {
      expect(isLabelMatcherList(ok), ok).toBe(true);
    }
    for (const bad of [
      'job="x"} or vector(1',
      'job="x"}) + on() group_left sum(up{',
      "job=x",
      'job="x" job="y"',
      'job="x\n"',
      '1job="x"',
      'job="x"}[5m]',
      'job="unterminated',
      'job="a" or up',
    ]) {
      expect(isLabelMatcherList(bad), bad).toBe(false);
    }
  });

  it("saves a service's selectors with the change audited, and splices them into the ready-made queries", async () => {
    const ops = await actor("OPERATOR");
    await saveSelectors(ops, { serviceId, promNodeSelector: 'instance="db1:9100"', promAppSelector: 'job="checkout",' }, TEST_CONTEXT);
    expect(await db.service.findUniqueOrThrow({ where: { id: serviceId } })).toMatchObject({ promNodeSelector: 'instance="db1:9100"', promAppSelector: 'job="checkout"' });
    const [event] = await auditOf("metrics.selectors_saved", serviceId);
    expect(event?.changes).toEqual({
      service: "checkout (production)",
      promNodeSelector: { from: "", to: 'instance="db1:9100"' },
      promAppSelector: { from: "", to: 'job="checkout"' },
    });
    const cpu = BUILTIN_PANELS.find((p) => p.key === "cpu")!.queries('instance="db1:9100"')[0]!.query;
    expect(cpu).toBe('100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle",instance="db1:9100"}[$__rate_interval])))');
    // Saving the same again records nothing.
    await saveSelectors(ops, { serviceId, promNodeSelector: 'instance="db1:9100"', promAppSelector: 'job="checkout"' }, TEST_CONTEXT);
    expect(await auditOf("metrics.selectors_saved", serviceId)).toHaveLength(1);
  });

  it("refuses a viewer and an injected selector, and says which field is wrong", async () => {
    await expect(saveSelectors(await actor("VIEWER"), { serviceId, promNodeSelector: 'job="x"' }, TEST_CONTEXT)).rejects.toMatchObject({ code: "forbidden" });
    await expect(saveSelectors(await actor("OPERATOR"), { serviceId, promAppSelector: 'job="x"} or vector(1' }, TEST_CONTEXT)).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { promAppSelector: expect.stringContaining("list of label matchers") },
    });
    expect((await db.service.findUniqueOrThrow({ where: { id: serviceId } })).promAppSelector).toBe("");
  });
});

describe("custom panels", () => {
  it("creates, edits and deletes a panel, each audited with its query", async () => {
    const ops = await actor("OPERATOR");
    const { id } = await savePanel(ops, { serviceId, title: "Queue depth", query: "sum(queue_depth)", unit: "" }, TEST_CONTEXT);
    await savePanel(ops, { serviceId, panelId: id, title: "Queue depth", query: 'sum(queue_depth{queue="orders"})', unit: "" }, TEST_CONTEXT);
    expect(await listCustomPanels(serviceId)).toEqual([{ id, title: "Queue depth", query: 'sum(queue_depth{queue="orders"})', unit: "", position: 0 }]);
    const saved = await auditOf("metrics.panel_saved", id);
    expect(saved.map((e) => e.changes.created)).toEqual([true, false]);
    expect(saved[1]?.changes).toMatchObject({ query: 'sum(queue_depth{queue="orders"})', before: { query: "sum(queue_depth)" } });

    await deletePanel(ops, { panelId: id }, TEST_CONTEXT);
    expect(await listCustomPanels(serviceId)).toEqual([]);
    expect((await auditOf("metrics.panel_deleted", id))[0]?.changes).toMatchObject({ title: "Queue depth", service: "checkout (production)" });
  });

  it("refuses a viewer and an empty query", async () => {
    await expect(savePanel(await actor("VIEWER"), { serviceId, title: "x", query: "up" }, TEST_CONTEXT)).rejects.toMatchObject({ code: "forbidden" });
    await expect(savePanel(await actor("OPERATOR"), { serviceId, title: "x", query: "  " }, TEST_CONTEXT)).rejects.toMatchObject({
      fieldErrors: { query: "Enter a PromQL query." },
    });
  });
});

describe("running panels", () => {
  it("says plainly when no data source is configured, and which selector to set", async () => {
    await expect(runServicePanel(serviceId, "cpu", { from: new Date(Date.now() - 3_600_000), to: new Date() })).rejects.toMatchObject({ message: NO_DATASOURCE_MESSAGE });
    process.env.PROMETHEUS_URL = "http://127.0.0.1:9";
    await expect(runServicePanel(serviceId, "cpu", { from: new Date(Date.now() - 3_600_000), to: new Date() })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("Set this service's node selector"),
    });
    await expect(runServicePanel(serviceId, "latency", { from: new Date(Date.now() - 3_600_000), to: new Date() })).rejects.toMatchObject({
      message: expect.stringContaining("Set this service's app selector"),
    });
  });

  it("widens rate() windows with the step: at least 4 scrapes, and at least a step plus a scrape", () => {
    expect(rateWindowSeconds(1_000, 15)).toBe(60);
    expect(rateWindowSeconds(5_000, 1)).toBe(6);
    expect(rateWindowSeconds(3_600_000, 15)).toBe(3615);
    const { stepMs } = stepFor({ from: new Date(Date.now() - 86_400_000), to: new Date() }, 15);
    expect(stepMs).toBe(120_000);
    expect(expandVariables("rate(x[$__rate_interval]) / $__interval", stepMs, 15)).toBe("rate(x[135s]) / 120s");
  });
});
