import { afterAll, beforeAll, beforeEach } from "vitest";
import { db } from "../db/client.ts";
import { commandTarget, createRunningDeployment, createTestTarget, startColourServer, type ColourServer, type TestTargetInput } from "./testing.ts";

/*
 * The bench the runner's test files share: real blue and green node:http servers on the file's own
 * ports (reset to healthy before each test), the COMMAND driver keeping the live colour in a file,
 * and readers for what a run left behind.
 */

export type RunnerBench = {
  readonly blue: ColourServer;
  readonly green: ColourServer;
  setup(options?: { target?: TestTargetInput; commands?: Parameters<typeof commandTarget>[1]; live?: "blue" | "green" }): Promise<{
    cmd: ReturnType<typeof commandTarget>;
    service: Awaited<ReturnType<typeof createTestTarget>>["service"];
    target: Awaited<ReturnType<typeof createTestTarget>>["target"];
    deployment: Awaited<ReturnType<typeof createRunningDeployment>>["deployment"];
    changeId: string;
    cast: Awaited<ReturnType<typeof createRunningDeployment>>["cast"];
  }>;
};

/** Registers the servers' hooks in the calling test file; call it at the file's top level. */
export function startRunnerBench(ports: { blue: number; green: number }): RunnerBench {
  let blue: ColourServer | undefined;
  let green: ColourServer | undefined;
  beforeAll(async () => {
    blue = await startColourServer("BLUE", ports.blue);
    green = await startColourServer("GREEN", ports.green);
  });
  afterAll(async () => {
    await blue?.close();
    await green?.close();
  });
  beforeEach(() => {
    blue?.behave({});
    green?.behave({});
  });
  const started = (s: ColourServer | undefined) => {
    if (!s) throw new Error("the colour servers start in beforeAll");
    return s;
  };
  return {
    get blue() {
      return started(blue);
    },
    get green() {
      return started(green);
    },
    async setup(options = {}) {
      const cmd = commandTarget(options.live ?? "blue", options.commands);
      const { service, target } = await createTestTarget({
        blueUrl: started(blue).url,
        greenUrl: started(green).url,
        liveColour: options.live === "green" ? "GREEN" : "BLUE",
        driverConfig: cmd.driverConfig,
        ...options.target,
      });
      const { deployment, changeId, cast } = await createRunningDeployment({ serviceId: service.id });
      return { cmd, service, target, deployment, changeId, cast };
    },
  };
}

/** The deployment, its change and target as the run left them; `step(kind)` is the last step of that kind. */
export async function readBack(id: string) {
  const d = await db.deployment.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { position: "asc" } }, logs: { orderBy: { id: "asc" } } } });
  const change = await db.changeRequest.findUniqueOrThrow({ where: { id: d.changeId } });
  const target = await db.deploymentTarget.findUniqueOrThrow({ where: { serviceId: d.serviceId } });
  const step = (kind: string) => d.steps.filter((s) => s.kind === kind).at(-1)!;
  const detail = (kind: string) => JSON.parse(step(kind).detail) as Record<string, unknown>;
  return { d, change, target, step, detail, steps: d.steps.map((s) => `${s.kind}:${s.status}`) };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const stepRunning = (id: string, kind: "DEPLOY" | "HEALTH_CHECK" | "VALIDATE") => () =>
  db.deploymentStep.findFirst({ where: { deploymentId: id, kind, status: "RUNNING" } });
