import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { recordAudit } from "../lib/audit/record.ts";
import { db } from "../lib/db/client.ts";
import { dropAuditTriggers, tamperEditEvent } from "../lib/db/test-tamper.ts";

const run = async (script: string, env: Record<string, string> = {}) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["node_modules/tsx/dist/cli.mjs", script], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe("npm run audit:verify", () => {
  it("prints intact with the event count and exits 0, then names the first broken event and exits 1", { timeout: 90_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      await db.$transaction((tx) =>
        recordAudit(tx, { action: "service.updated", actor: { id: null, label: "cli test" }, context: { ip: "", userAgent: "" } }),
      );
    }
    const ok = await run("scripts/audit-verify.ts");
    expect(ok.stdout).toMatch(/^intact: 3 events \(\d+\.\d s\)\n$/);
    expect(ok.code).toBe(0);

    await dropAuditTriggers(db);
    await tamperEditEvent(db, 2, { action: "service.created" });
    const broken = await run("scripts/audit-verify.ts");
    expect(broken.stdout).toBe("broken at seq 2: its content does not match its hash (1 events before it are intact)\n");
    expect(broken.code).toBe(1);
  });
});
