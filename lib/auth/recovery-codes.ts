import { randomBytes, randomInt } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { db, type Prisma } from "../db/client.ts";

/**
 * One-time recovery codes: ten at a time, shown once, stored only as argon2id hashes.
 *
 * A code is 10 characters from a 31-letter alphabet without look-alikes (no 0/O, 1/I/L), about
 * 49.5 bits, shown as two groups of five (ABCDE-FGHJK). All codes of one batch share one random
 * salt, carried inside each stored hash; hashing a typed code with that salt gives the value to
 * look up, so a sign-in costs one argon2 computation and a stolen table no cheap guesses.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 10;
const HASH_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** The code as stored (hashed): upper case, separators and spaces dropped; null if it cannot be one. */
export function canonicalRecoveryCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]+/g, "");
  if (code.length !== CODE_LENGTH) return null;
  return [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

async function hashWithSalt(canonical: string, salt: Buffer): Promise<string> {
  return hash(canonical, { ...HASH_OPTIONS, salt });
}

// PHC string: $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>
function saltOf(storedHash: string): Buffer {
  return Buffer.from(storedHash.split("$")[4] ?? "", "base64");
}

/**
 * A fresh batch: the codes to show once and the hashes to store. Hashing happens here, before
 * any transaction opens, so no database lock is held while argon2 runs.
 */
export async function newRecoveryCodeBatch(): Promise<{ codes: string[]; hashes: string[] }> {
  const salt = randomBytes(16);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const hashes = await Promise.all(codes.map((c) => hashWithSalt(canonicalRecoveryCode(c) as string, salt)));
  return { codes, hashes };
}

/** Replaces all of a user's codes (used or not) with a new batch; says how many unused ones it voided. */
export async function storeRecoveryCodes(
  tx: Prisma.TransactionClient,
  userId: string,
  hashes: readonly string[],
): Promise<{ replaced: number }> {
  // Writes first: on SQLite a transaction that reads before it writes cannot wait for another
  // process's write lock (SQLITE_BUSY at once) where one that starts by writing waits its turn.
  const { count: replaced } = await tx.recoveryCode.deleteMany({ where: { userId, usedAt: null } });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash })) });
  return { replaced };
}

/** The stored hash a typed code would have for this user, or null when it cannot match. */
export async function lookupHashFor(userId: string, typed: string): Promise<string | null> {
  const canonical = canonicalRecoveryCode(typed);
  const sample = await db.recoveryCode.findFirst({ where: { userId, usedAt: null }, select: { codeHash: true } });
  if (!canonical || !sample) return null;
  return hashWithSalt(canonical, saltOf(sample.codeHash));
}

/**
 * Spends one code: a single conditional UPDATE, so of two requests presenting the same code
 * exactly one succeeds. Returns how many unused codes remain, or null when it was not spendable.
 */
export async function spendRecoveryCode(
  tx: Prisma.TransactionClient,
  userId: string,
  codeHash: string,
  now = new Date(),
): Promise<{ remaining: number } | null> {
  const spent = await tx.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: now } });
  if (spent.count !== 1) return null;
  return { remaining: await tx.recoveryCode.count({ where: { userId, usedAt: null } }) };
}

export async function remainingRecoveryCodes(userId: string): Promise<number> {
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}
