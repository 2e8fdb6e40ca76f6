import { mkdtempSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { approveChange, recordEvidence, type ChangeActor } from "../changes/service.ts";
import { ctx, hoursFromNow, submittedChange } from "../changes/testing.ts";
import { db, type Colour } from "../db/client.ts";

/* Test helpers for the deployment gates, trigger, rollback and target (vitest files only). */

/** An actor who entered a TOTP code just now (step-up fresh). */
export const steppedUp = <U extends ChangeActor>(user: U) => ({ ...user, stepUpAt: new Date() });

/**
 * A change ready to deploy: every checklist item with evidence, approved by `approver` with the
 * rollback plan acknowledged, and its window moved to `window` (hours from now; default around
 * now) afterwards, as time passing would (a change can only be submitted for a future window).
 */
export async function readyChange(
  requester: ChangeActor,
  approver: ChangeActor,
  serviceId: string,
  overrides: Record<string, unknown> = {},
  window: [number, number] = [-1, 1],
) {
  const c = await submittedChange(requester, serviceId, overrides);
  const evidence = [
    { item: "SECURITY_SCAN", result: "PASSED", summary: "0 high", link: "https://ci.example/scan" },
    { item: "PERFORMANCE_TEST", result: "PASSED", summary: "p95 180 ms", link: "https://ci.example/perf" },
    { item: "BACKUP_VERIFICATION", result: "PASSED", summary: "Restored to scratch", link: "https://backups.example/1", verifiedAt: hoursFromNow(-3) },
  ] as const;
  for (const e of evidence) await recordEvidence(requester, { changeId: c.id, ...e }, ctx);
  await approveChange(approver, { changeId: c.id, comment: "", rollbackAcknowledged: true }, ctx);
  await db.changeRequest.update({ where: { id: c.id }, data: { plannedStart: new Date(hoursFromNow(window[0])), plannedEnd: new Date(hoursFromNow(window[1])) } });
  return c;
}

let dir: string | undefined;

/**
 * A command-driver target whose status command prints `live` (the read-back colour), with a
 * status file the test can rewrite through `setLive`.
 */
export async function commandTarget(serviceId: string, live: Colour | null = "BLUE") {
  const statusFile = path.join((dir ??= mkdtempSync(path.join(tmpdir(), "ops-portal-gates-"))), `${serviceId}.colour`);
  const setLive = (colour: Colour | null) => writeFile(statusFile, colour ? colour.toLowerCase() : "");
  await setLive(live);
  await db.deploymentTarget.create({
    data: {
      serviceId,
      driver: "COMMAND",
      blueUrl: "http://127.0.0.1:4211",
      greenUrl: "http://127.0.0.1:4212",
      driverConfig: JSON.stringify({
        deployCommand: "true",
        switchCommand: "true",
        statusCommand: `cat ${statusFile}`,
        timeoutMs: 10_000,
      }),
    },
  });
  return { statusFile, setLive };
}
