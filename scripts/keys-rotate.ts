/**
 * `npm run keys:rotate`: re-encrypts every sealed secret (lib/crypto/rotate.ts SEALED_COLUMNS)
 * under the FIRST key of APP_ENCRYPTION_KEY. Put the new key first, keep the old ones after it,
 * run this, then the old keys can be removed. Safe to run again; audited as keys.rotated.
 * Exits 1 when some values could not be opened (their key is not configured).
 */
import { existsSync } from "node:fs";
import { encryptionKeys } from "../lib/config/secrets.ts";
import { rotateSealedSecrets } from "../lib/crypto/rotate.ts";
import { createDb } from "../lib/db/client.ts";
import { databaseUrl, redactUrl } from "../lib/db/url.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

const url = databaseUrl();
const keys = encryptionKeys();
const db = createDb(url);
console.log(`re-encrypting sealed secrets in ${redactUrl(url)} under key "${keys[0]!.id}"`);
try {
  const results = await rotateSealedSecrets(db, {
    keys,
    actor: { id: null, label: "keys:rotate" },
    context: { ip: "", userAgent: "npm run keys:rotate" },
    onBatch: (p) => process.stderr.write(`  ${p.column}: ${p.checked} checked, ${p.rotated} re-encrypted\n`),
  });
  for (const r of results) {
    console.log(
      `${r.column}: ${r.rotated} re-encrypted, ${r.alreadyCurrent} already current, ` +
        `${r.unreadable} unreadable, ${r.skipped} changed meanwhile (left as they are)`,
    );
  }
  if (results.some((r) => r.unreadable)) {
    console.log("Some values are sealed under a key that is not in APP_ENCRYPTION_KEY: add it (after the first) and run again.");
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`keys:rotate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
} finally {
  await db.$disconnect();
}
