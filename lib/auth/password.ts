import { hash, verify } from "@node-rs/argon2";

// argon2id (the library's default algorithm) with OWASP's recommended minimum cost: 19 MiB, t=2.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verifying against this when the email is unknown keeps the response time the same, so timing
// does not reveal which accounts exist.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  const target = storedHash ?? (await (dummyHash ??= hash("not-a-real-password", OPTIONS)));
  try {
    const ok = await verify(target, password);
    return ok && storedHash != null;
  } catch {
    return false;
  }
}
