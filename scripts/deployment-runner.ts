/**
 * A deployment runner outside the portal server (the crash tests start it and kill it mid-run):
 *
 *   tsx scripts/deployment-runner.ts run <deploymentId>
 *       claims a RUNNING deployment nobody holds (compare-and-set on an empty lease) and runs it here;
 *   tsx scripts/deployment-runner.ts loop <deploymentId>
 *       starts the deployment loop, as server.ts does (recovery of expired leases on start and every
 *       few seconds), and exits once that deployment has ended.
 *
 * Prints one JSON line per event on stdout: {"event":"claimed","owner":…}, {"event":"ended",…}.
 */
import { existsSync } from "node:fs";
import { db } from "../lib/db/client.ts";
import { leaseMs, runnerId, startDeploymentLoop } from "../lib/deployments/loop.ts";
import { runDeployment } from "../lib/deployments/runner.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

const [mode, id] = process.argv.slice(2);
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

async function main(): Promise<number> {
  if (!id || (mode !== "run" && mode !== "loop")) {
    console.error("usage: tsx scripts/deployment-runner.ts run|loop <deploymentId>");
    return 2;
  }
  if (mode === "run") {
    const { count } = await db.deployment.updateMany({
      where: { id, status: "RUNNING", leaseOwner: null },
      data: { leaseOwner: runnerId(), leaseExpiresAt: new Date(Date.now() + leaseMs()) },
    });
    if (!count) {
      console.error("that deployment is not RUNNING, or another runner holds it");
      return 1;
    }
    say({ event: "claimed", owner: runnerId() });
    say({ event: "ended", ...(await runDeployment(id)) });
    return 0;
  }
  const loop = startDeploymentLoop({ everyMs: 500 });
  say({ event: "started", owner: runnerId() });
  for (;;) {
    const d = await db.deployment.findUnique({ where: { id }, select: { status: true } });
    if (!d || (d.status !== "RUNNING" && d.status !== "ROLLING_BACK")) {
      await loop.stop();
      say({ event: "ended", status: d?.status ?? null });
      return 0;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

main()
  .then(async (code) => {
    await db.$disconnect();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    console.error(err);
    await db.$disconnect();
    process.exit(1);
  });
