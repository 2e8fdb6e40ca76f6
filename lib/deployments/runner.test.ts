import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../audit/verify.ts";
import { db } from "../db/client.ts";
import { auditOf } from "../testing/actors.ts";
import { runDeployment } from "./runner.ts";
import { readBack, stepRunning, startRunnerBench, waitFor } from "./runner-testing.ts";

/*
 * The runner against real backends: two node:http servers as blue and green, and the COMMAND
 * driver running real shell commands that keep the live colour in a file (read back by the status
 * command). Deployment rows come from the fixture that writes them as trigger.ts does.
 */

process.env.DEPLOY_LEASE_MS = "1500";

const bench = startRunnerBench({ blue: 4100, green: 4101 });
const { setup } = bench;

describe("a deployment that passes every step", () => {
  it("puts the release on green, moves traffic there, marks the change DEPLOYED and records every step", async () => {
    const { cmd, deployment, cast, service } = await setup();
    expect(deployment.fromColour).toBe("BLUE");
    expect(deployment.toColour).toBe("GREEN");

    const result = await runDeployment(deployment.id);

    expect(result).toEqual({ status: "SUCCEEDED" });
    const r = await readBack(deployment.id);
    expect(r.d.status).toBe("SUCCEEDED");
    expect(r.d.liveColour).toBe("GREEN");
    expect(r.change.status).toBe("DEPLOYED");
    expect(r.target).toMatchObject({ liveColour: "GREEN", activeDeploymentId: null });
    expect(cmd.live()).toBe("green"); // the truth, read back from the target's own file
    expect(r.d.leaseOwner).toBeNull();
    expect(r.steps).toEqual(["PREFLIGHT:SUCCEEDED", "DEPLOY:SUCCEEDED", "HEALTH_CHECK:SUCCEEDED", "SWITCH:SUCCEEDED", "VALIDATE:SUCCEEDED", "DONE:SUCCEEDED"]);
    for (const s of r.d.steps) {
      expect(s.startedAt).toBeInstanceOf(Date);
      expect(s.finishedAt!.getTime()).toBeGreaterThanOrEqual(s.startedAt!.getTime());
      expect(s.summary).not.toBe("");
    }
    // The commands saw the deployment in their environment.
    expect(cmd.calls()).toEqual([
      `preflight  4.2.0  ${service.name} production`, // no colour or URL before a colour is chosen
      `deploy green 4.2.0 ${bench.green.url} ${service.name} production`,
      `switch green 4.2.0 ${bench.green.url} ${service.name} production`,
    ]);
    // Figures: health checks, time to live, validation against thresholds.
    expect(r.detail("HEALTH_CHECK")).toMatchObject({ ok: true, required: 2, consecutive: 2 });
    const timeToLiveMs = r.detail("SWITCH").timeToLiveMs as number;
    expect(timeToLiveMs).toBe(r.d.liveAt!.getTime() - r.d.startedAt.getTime());
    expect(r.detail("VALIDATE")).toMatchObject({ ok: true, errors: 0, errorRatePct: 0, maxErrorRatePct: 1, maxP95LatencyMs: 2_000 });
    expect(r.detail("VALIDATE").samples as number).toBeGreaterThan(5);
    expect(r.detail("DONE")).toMatchObject({ readBack: "GREEN", kept: "BLUE", timeToLiveMs });
    expect(r.step("PREFLIGHT").summary).toMatch(/backup of .* confirmed; BLUE live \(read back\)/);
    // The live log streamed the command output line by line, with the backup it relied on.
    const lines = r.d.logs.map((l) => `${l.step ?? "-"} ${l.level} ${l.message}`);
    expect(lines).toContain("DEPLOY info deploy: deploying 4.2.0 to green");
    expect(lines).toContain("DEPLOY warn deploy: unpacked to green");
    expect(lines.some((l) => l.startsWith("PREFLIGHT info Backup confirmed: backup of") && l.includes("https://backups.example/snap/1"))).toBe(true);
    // Audited: live, then succeeded, by the system.
    const live = await auditOf("deployment.live", deployment.id);
    const succeeded = await auditOf("deployment.succeeded", deployment.id);
    expect(live).toHaveLength(1);
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]).toMatchObject({ actorId: null, actorLabel: "Deployment runner" });
    expect(succeeded[0]!.changes).toMatchObject({ liveColour: "GREEN", status: { from: "RUNNING", to: "SUCCEEDED" }, changeStatus: { from: "DEPLOYING", to: "DEPLOYED" }, timeToLiveMs });
    // Requester, the person who triggered and the stakeholder hear about it.
    for (const u of [cast.requester, cast.releaseManager, cast.stakeholder]) {
      const n = await db.notification.findMany({ where: { userId: u.id, kind: "deployment.succeeded" } });
      expect(n.map((x) => x.title)).toEqual([expect.stringContaining("is live on green")]);
    }
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true });
  });

  it("heartbeats the lease while a long step runs", async () => {
    const { deployment } = await setup({ commands: { deployCommand: "sleep 2" } });
    const run = runDeployment(deployment.id);
    await waitFor("the deploy step", stepRunning(deployment.id, "DEPLOY"));
    const first = (await db.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).leaseExpiresAt!;
    await new Promise((r) => setTimeout(r, 1_200));
    const later = await db.deployment.findUniqueOrThrow({ where: { id: deployment.id } });
    expect(later.leaseExpiresAt!.getTime()).toBeGreaterThan(first.getTime());
    expect(later.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now()); // 1.5 s lease, still alive after 1.2 s more
    expect(await run).toEqual({ status: "SUCCEEDED" });
  });
});

describe("failures before traffic moves", () => {
  it("never sends traffic to a green that fails its health checks: FAILED, traffic still on blue", async () => {
    bench.green.behave({ status: 503 });
    const { cmd, deployment } = await setup({ target: { healthTimeoutMs: 600 } });

    expect(await runDeployment(deployment.id)).toEqual({ status: "FAILED" });

    const r = await readBack(deployment.id);
    expect(r.steps).toEqual(["PREFLIGHT:SUCCEEDED", "DEPLOY:SUCCEEDED", "HEALTH_CHECK:FAILED", "SWITCH:SKIPPED", "VALIDATE:SKIPPED", "DONE:SKIPPED"]);
    expect(r.step("HEALTH_CHECK").summary).toMatch(/^GREEN failed its health checks: 0\/2 consecutive successes within 0\.6 s .*HTTP 503/);
    expect(r.change.status).toBe("FAILED");
    expect(cmd.live()).toBe("blue");
    expect(cmd.calls().some((c) => c.startsWith("switch"))).toBe(false); // the switch command never ran
    expect(r.d).toMatchObject({ liveColour: "BLUE", liveAt: null });
    expect(r.d.outcome).toBe(`Health check failed: ${r.step("HEALTH_CHECK").summary.replace(/\.$/, "")}. GREEN never received traffic; traffic on BLUE (read back).`);
    expect(r.target).toMatchObject({ liveColour: "BLUE", activeDeploymentId: null });
    expect(await auditOf("deployment.live", deployment.id)).toHaveLength(0);
    const failed = await auditOf("deployment.failed", deployment.id);
    expect(failed.map((e) => e.changes)).toEqual([expect.objectContaining({ liveColour: "BLUE", changeStatus: { from: "DEPLOYING", to: "FAILED" } })]);
  });

  it("fails in preflight, touching nothing, when traffic was moved outside the portal", async () => {
    const { cmd, deployment } = await setup();
    cmd.setLive("green"); // someone switched by hand after the trigger read blue

    expect(await runDeployment(deployment.id)).toEqual({ status: "FAILED" });

    const r = await readBack(deployment.id);
    expect(r.steps[0]).toBe("PREFLIGHT:FAILED");
    expect(r.step("PREFLIGHT").summary).toContain("Traffic is on GREEN (read back) but the deployment started from BLUE");
    expect(cmd.calls().map((c) => c.split(" ")[0])).toEqual(["preflight"]);
    expect(cmd.live()).toBe("green");
    expect(r.target.liveColour).toBe("GREEN");
  });

  it("fails when the deploy command fails, with its exit code and last error line", async () => {
    const { cmd, deployment } = await setup({ commands: { deployCommand: `echo "image not found: $OPS_VERSION" >&2; exit 3` } });
    expect(await runDeployment(deployment.id)).toEqual({ status: "FAILED" });
    const r = await readBack(deployment.id);
    expect(r.step("DEPLOY").summary).toBe("The deploy command exited with code 3: image not found: 4.2.0");
    expect(cmd.live()).toBe("blue");
  });
});
