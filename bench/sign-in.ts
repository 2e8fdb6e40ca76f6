/**
 * Sign-in latency end to end over HTTP against a spawned production server, exactly the requests a
 * browser makes: the password step (the sign-in page's server action, argon2id) and the code step
 * (next-auth: GET /api/auth/csrf, then POST /api/auth/callback/totp, TOTP check, session created).
 * N distinct users each sign in once (a TOTP code is accepted once per user and step), after a few
 * warm-up sign-ins that load the routes. Prints p50/p95 per step and in total.
 *
 *   npm run build && npm run bench:sign-in [-- users]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { generate, generateSecret } from "otplib";
import { hashPassword } from "../lib/auth/password.ts";
import { sealSecret } from "../lib/crypto/secret-box.ts";
import { createDb } from "../lib/db/client.ts";
import { migrateDatabase } from "../lib/db/migrate.ts";
import { quantile, startServer, stop } from "./lib.ts";

const USERS = Number(process.argv[2] ?? 30);
const WARMUP = 3;
const PASSWORD = "bench-Passw0rd-long!";

// React's own encoder, so the server action is called with exactly the body the browser sends.
const { encodeReply } = createRequire(import.meta.url)("next/dist/compiled/react-server-dom-webpack/client.node.js") as {
  encodeReply: (value: unknown) => Promise<FormData | string>;
};

function passwordStepActionId(): string {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.filename === "app/sign-in/actions.ts" && v.exportedName === "passwordStep");
  if (!entry) throw new Error("passwordStep not found in the build: run `npm run build` first");
  return entry[0];
}

type BenchUser = { email: string; secret: string };

async function seedUsers(url: string, count: number): Promise<BenchUser[]> {
  await migrateDatabase(url);
  const db = createDb(url);
  const passwordHash = await hashPassword(PASSWORD);
  const users = Array.from({ length: count }, (_, i) => ({ email: `bench${i}@example.com`, secret: generateSecret({ length: 20 }) }));
  await db.user.createMany({
    data: users.map((u, i) => ({ email: u.email, name: `Bench ${i}`, role: "VIEWER" as const, passwordHash, totpSecretEnc: sealSecret(u.secret), mfaEnrolledAt: new Date() })),
  });
  await db.$disconnect();
  return users;
}

function cookiesOf(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

async function signIn(base: string, actionId: string, user: BenchUser): Promise<{ password: number; code: number }> {
  const t0 = performance.now();
  const form = new FormData();
  form.set("email", user.email);
  form.set("password", PASSWORD);
  const step1 = await fetch(`${base}/sign-in`, {
    method: "POST",
    headers: { "next-action": actionId, accept: "text/x-component", origin: base },
    body: await encodeReply([{}, form]),
  });
  const ticket = /"ticket":"([^"]+)"/.exec(await step1.text())?.[1];
  if (!step1.ok || !ticket) throw new Error(`password step failed for ${user.email}: ${step1.status}`);
  const t1 = performance.now();

  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const step2 = await fetch(`${base}/api/auth/callback/totp`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf), origin: base },
    body: new URLSearchParams({ ticket, code: await generate({ secret: user.secret }), csrfToken, json: "true" }),
    redirect: "manual",
  });
  const session = cookiesOf(step2);
  if (!step2.ok || !/ops-portal\.session=/.test(session)) throw new Error(`code step failed for ${user.email}: ${step2.status}`);
  const t2 = performance.now();

  // Not timed: prove the session works.
  const home = await fetch(`${base}/`, { headers: { cookie: session }, redirect: "manual" });
  if (home.status !== 200) throw new Error(`session not accepted for ${user.email}: ${home.status}`);
  return { password: t1 - t0, code: t2 - t1 };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "ops-bench-signin-"));
process.env.APP_ENCRYPTION_KEY = `bench:${randomBytes(32).toString("base64")}`; // shared with the server
process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64");
const users = await seedUsers(`file:${path.join(dataDir, "bench.db")}`, USERS + WARMUP);
const actionId = passwordStepActionId();
const server = await startServer(3393, dataDir);
try {
  for (const u of users.slice(0, WARMUP)) await signIn(server.url, actionId, u);
  const runs: { password: number; code: number }[] = [];
  for (const u of users.slice(WARMUP)) runs.push(await signIn(server.url, actionId, u));
  const fmt = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `p50 ${Math.round(quantile(s, 0.5))} ms, p95 ${Math.round(quantile(s, 0.95))} ms, max ${Math.round(s[s.length - 1]!)} ms`;
  };
  console.log(`sign-in over HTTP, ${USERS} distinct users (after ${WARMUP} warm-up), ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}, Node ${process.version}`);
  console.log(`  password step (server action, argon2id): ${fmt(runs.map((r) => r.password))}`);
  console.log(`  code step (csrf + callback, TOTP, session): ${fmt(runs.map((r) => r.code))}`);
  console.log(`  total:                                    ${fmt(runs.map((r) => r.password + r.code))}`);
} finally {
  await stop(server.child);
  rmSync(dataDir, { recursive: true, force: true });
}
