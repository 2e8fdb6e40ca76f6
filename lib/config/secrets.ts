import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Keys from the environment. In production a missing key is fatal; elsewhere (demo, tests, dev) a
 * random key is generated once into ./data so a fresh clone runs with no setup.
 */
const DATA_DIR = process.env.DATA_DIR ?? path.join(/*turbopackIgnore: true*/ process.cwd(), "data");

function fromEnvOrFile(envName: string, fileName: string, bytes: number): string {
  const value = process.env[envName]?.trim();
  if (value) return value;
  if (process.env.NODE_ENV === "production" && process.env.OPS_PORTAL_DEMO !== "1") {
    throw new Error(`${envName} must be set in production (e.g. openssl rand -base64 ${bytes})`);
  }
  const file = path.join(/*turbopackIgnore: true*/ DATA_DIR, fileName);
  if (!existsSync(file)) {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(bytes).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  return readFileSync(file, "utf8").trim();
}

/** Signs and encrypts session JWTs and sign-in tickets. */
export function authSecret(): string {
  return fromEnvOrFile("NEXTAUTH_SECRET", "auth-secret.key", 32);
}

/**
 * APP_ENCRYPTION_KEY: "<keyId>:<base64 32 bytes>" entries separated by commas; the first encrypts,
 * all decrypt (so keys can rotate). A bare base64 key gets the id "k1".
 */
export function encryptionKeys(): { id: string; key: Buffer }[] {
  const raw = fromEnvOrFile("APP_ENCRYPTION_KEY", "encryption.key", 32);
  return raw.split(",").map((entry, i) => {
    const [id, b64] = entry.includes(":") ? entry.split(":", 2) : [`k${i + 1}`, entry];
    const key = Buffer.from(b64 ?? "", "base64");
    if (!id || key.length !== 32) {
      throw new Error("APP_ENCRYPTION_KEY entries must be <id>:<base64 of 32 bytes>");
    }
    return { id, key };
  });
}
