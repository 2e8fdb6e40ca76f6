import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "../lib/crypto/secret-box.ts";
import { db } from "../lib/db/client.ts";

const key = (id: string) => ({ id, key: randomBytes(32) });
const env = (...keys: { id: string; key: Buffer }[]) => keys.map((k) => `${k.id}:${k.key.toString("base64")}`).join(",");

async function rotate(appEncryptionKey: string) {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/keys-rotate.ts"], {
      env: { ...process.env, APP_ENCRYPTION_KEY: appEncryptionKey },
    });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe("npm run keys:rotate", () => {
  it("moves every TOTP seed to the first key, reports counts, and is a no-op the second time", { timeout: 120_000 }, async () => {
    const [oldKey, newKey, lost] = [key("2025"), key("2026"), key("gone")];
    await db.user.create({ data: { email: "a@example.com", name: "A", totpSecretEnc: sealSecret("SEED-A-SEED-A-SEED-A", [oldKey]) } });
    await db.user.create({ data: { email: "b@example.com", name: "B", totpSecretEnc: sealSecret("SEED-B-SEED-B-SEED-B", [oldKey]) } });

    const first = await rotate(env(newKey, oldKey));
    expect(first.stdout).toContain('under key "2026"');
    expect(first.stdout).toContain("User.totpSecretEnc: 2 re-encrypted, 0 already current, 0 unreadable");
    expect(first.code).toBe(0);
    const a = await db.user.findUniqueOrThrow({ where: { email: "a@example.com" } });
    expect(openSecret(a.totpSecretEnc!, [newKey])).toBe("SEED-A-SEED-A-SEED-A");

    const second = await rotate(env(newKey, oldKey));
    expect(second.stdout).toContain("User.totpSecretEnc: 0 re-encrypted, 2 already current");

    await db.user.create({ data: { email: "c@example.com", name: "C", totpSecretEnc: sealSecret("SEED-C-SEED-C-SEED-C", [lost]) } });
    const third = await rotate(env(newKey));
    expect(third.stdout).toContain("1 unreadable");
    expect(third.code).toBe(1);
  });
});
