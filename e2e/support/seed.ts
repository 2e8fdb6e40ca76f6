import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";

const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db";

function runSeed<T>(args: string[]): T {
  const out = execFileSync(
    process.execPath,
    [path.join("node_modules", "tsx", "dist", "cli.mjs"), path.join("e2e", "support", "seed-cli.ts"), ...args],
    { env: { ...process.env, DATABASE_URL: E2E_DATABASE_URL, LOG_LEVEL: "silent" }, encoding: "utf8" },
  );
  return JSON.parse(out.trim().split("\n").at(-1) ?? "null") as T;
}

/** An address no other test (or earlier run against a reused database) has used. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}@e2e.local`;
}

export type SeededUser = { email: string; password: string; secret: string; recoveryCodes: string[] };

/** A VIEWER with a password, an authenticator (own random secret) and ten recovery codes. */
export function seedUser(name: string): SeededUser {
  return runSeed<SeededUser>(["user", uniqueEmail("user"), name]);
}

/** A VIEWER with a password but no authenticator yet (as after an MFA reset): must enrol at sign-in. */
export function seedUserWithoutMfa(name: string): { email: string; password: string } {
  return runSeed(["user", uniqueEmail("nomfa"), name, "--no-mfa"]);
}

/** A user an admin has created but who has not set up their account: returns the setup link's path. */
export function seedInvite(name: string, options: { expired?: boolean } = {}): { email: string; path: string } {
  return runSeed(["invite", uniqueEmail("invitee"), name, "OPERATOR", ...(options.expired ? ["--expired"] : [])]);
}

/** Lets a user's current step-up lockout run out now, as if its time had passed. */
export function endStepUpLockout(email: string): void {
  const { ended } = runSeed<{ ended: number }>(["end-step-up-lockout", email]);
  if (ended !== 1) throw new Error(`no step-up lockout to end for ${email}`);
}
