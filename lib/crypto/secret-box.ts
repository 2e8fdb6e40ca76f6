import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { encryptionKeys } from "../config/secrets.ts";

/**
 * AES-256-GCM for secrets at rest (TOTP seeds, channel credentials). Stored form:
 * "v1.<keyId>.<iv>.<tag>.<ciphertext>" (base64url), so a value names the key that opens it.
 */
export function sealSecret(plaintext: string, keys = encryptionKeys()): string {
  const current = keys[0];
  if (!current) throw new Error("no encryption key configured");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", current.key, iv);
  cipher.setAAD(Buffer.from(current.id));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", current.id, iv, cipher.getAuthTag(), ct]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

export function openSecret(sealed: string, keys = encryptionKeys()): string {
  const [version, keyId, iv, tag, ct] = sealed.split(".");
  if (version !== "v1" || !keyId || !iv || !tag || ct === undefined) throw new Error("not a sealed secret");
  const key = keys.find((k) => k.id === keyId);
  if (!key) throw new Error(`encryption key "${keyId}" is not configured`);
  const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(keyId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}
