import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { seedDemo } from "../demo/seed.ts";
import { pirSuggestions } from "./pir.ts";

const stateDir = mkdtempSync(path.join(tmpdir(), "pir-"));
beforeAll(() => seedDemo(db, { ports: { BLUE: 4595, GREEN: 4596 }, stateDir }));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const changeTitled = (title: string) => db.changeRequest.findFirstOrThrow({ where: { title }, include: { service: true } });

/** A finished deployment as the runner leaves it: steps with summaries and figures, read-back colour. */
async function recordDeployment(
  change: { id: string; serviceId: string; requesterId: string },
  d: { number: number; status: "SUCCEEDED" | "ROLLED_BACK"; startedAt: Date; outcome?: string; steps: { kind: "PREFLIGHT" | "DEPLOY" | "HEALTH_CHECK" | "SWITCH" | "VALIDATE" | "DONE" | "ROLLBACK"; status: "SUCCEEDED" | "FAILED"; summary?: string; detail?: object }[]; live: "BLUE" | "GREEN" },
) {
  return db.deployment.create({
    data: {
      number: d.number,
      changeId: change.id,
      serviceId: change.serviceId,
      version: "orders-service 8.0.0",
      status: d.status,
      fromColour: "BLUE",
      toColour: "GREEN",
      liveColour: d.live,
      triggeredById: change.requesterId,
      idempotencyKey: `k-${d.number}`,
      outcome: d.outcome ?? "",
      startedAt: d.startedAt,
      liveAt: new Date(d.startedAt.getTime() + 5_000),
      finishedAt: new Date(d.startedAt.getTime() + 12_000),
      steps: {
        create: d.steps.map((s, position) => ({ position, kind: s.kind, status: s.status, summary: s.summary ?? "", detail: JSON.stringify(s.detail ?? {}), startedAt: d.startedAt, finishedAt: d.startedAt })),
      },
    },
  });
}

describe("post-implementation review suggestions", () => {
  it("drafts the four review fields from the last deployment's health checks, read-back colour, validation figures, scan evidence and runbook", async () => {
    const closed = await changeTitled("Raise payments DB connection pool to 50");
    const s = await pirSuggestions(closed.id);
    expect(s.deployment).toBe("DEP-000001");
    expect(s.serviceVerification).toContain("DEP-000001 deployed config r1842 blue-green to blue.");
    expect(s.serviceVerification).toContain("3/3 consecutive health checks of blue (http://127.0.0.1:4595/health) passed in 1.1 s");
    expect(s.serviceVerification).toMatch(/Live colour read back from the target afterwards: blue \(traffic moved \d{4}-\d\d-\d\d \d\d:\d\d UTC, 4.5 s after the trigger\)\./);
    expect(s.performanceValidation).toBe(
      "Monitoring validation of the new colour over 5 s, 20 samples: error rate 0% (threshold 1%), p95 latency 6 ms (threshold 500 ms), p50 3 ms: within thresholds.",
    );
    expect(s.securityConfirmation).toContain("Security scan passed before the deployment: Trivy + Semgrep: 0 critical, 0 high (https://ci.example.com/scans/48213)");
    expect(s.documentationUpdate).toMatch(/^Runbook https:\/\/wiki\.example\.internal\/runbooks\/payments-api updated: payments-api config r1842 is live on blue since .* UTC\.$/);
  });

  it("says how a rolled-back deployment ended and that validation was outside the thresholds, from the latest deployment only", async () => {
    const ready = await changeTitled("Invoice PDF renderer 2.0");
    const hour = 3_600_000;
    await recordDeployment(ready, {
      number: 50,
      status: "SUCCEEDED",
      startedAt: new Date(Date.now() - 2 * hour),
      live: "GREEN",
      steps: [{ kind: "VALIDATE", status: "SUCCEEDED", detail: { errorRatePct: 0, p95Ms: 10 } }],
    });
    await recordDeployment(ready, {
      number: 51,
      status: "ROLLED_BACK",
      startedAt: new Date(Date.now() - hour),
      outcome: "Monitoring validation failed: error rate 12% over 1%. Traffic is back on blue.",
      live: "BLUE",
      steps: [
        { kind: "HEALTH_CHECK", status: "SUCCEEDED", detail: { passed: 3, required: 3, elapsedMs: 1500 } },
        { kind: "VALIDATE", status: "FAILED", detail: { windowMs: 5000, samples: 25, errorRatePct: 12, p95Ms: 40 } },
        { kind: "ROLLBACK", status: "SUCCEEDED" },
        { kind: "DONE", status: "SUCCEEDED", detail: { liveColour: "BLUE" } },
      ],
    });
    const s = await pirSuggestions(ready.id);
    expect(s.deployment).toBe("DEP-000051");
    expect(s.serviceVerification).toContain("DEP-000051 ended rolled back: Monitoring validation failed: error rate 12% over 1%. Traffic is back on blue.");
    expect(s.serviceVerification).toContain("3/3 consecutive health checks of green passed in 1.5 s");
    expect(s.serviceVerification).toContain("Live colour read back from the target afterwards: blue");
    // The target's thresholds stand in for figures the step did not record.
    expect(s.performanceValidation).toBe(
      "Monitoring validation of the new colour over 5 s, 25 samples: error rate 12% (threshold 1%), p95 latency 40 ms (threshold 500 ms): outside the thresholds.",
    );
  });

  it("leaves the deployment's fields empty for a change never deployed, but still offers the scan and the runbook", async () => {
    const scheduled = await changeTitled("Reindex catalogue with the new analyser");
    const s = await pirSuggestions(scheduled.id);
    expect(s).toMatchObject({ deployment: null, serviceVerification: "", performanceValidation: "" });
    expect(s.securityConfirmation).toContain("Security scan passed before the deployment");
    expect(s.documentationUpdate).toContain("https://wiki.example.internal/runbooks/search");
  });

  it("asks how a failed security scan was dealt with instead of confirming it", async () => {
    const failed = await changeTitled("Enable address autocomplete at checkout");
    expect((await pirSuggestions(failed.id)).securityConfirmation).toBe(
      "The security scan on record FAILED: 1 high: outdated xml parser (https://ci.example.com/scans/48377). Say how the finding was dealt with.",
    );
  });
});
