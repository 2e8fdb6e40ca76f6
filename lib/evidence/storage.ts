/**
 * Evidence files on disk. A file is written to a temporary name under the evidence directory while
 * its size is counted and its sha256 computed, then renamed (atomic on one file system) to a random
 * storage key `ab/cd/<32 hex>`. The uploaded name never reaches a path; it is kept, cleaned, for
 * display only. Reads go through the storage key, which must match that exact shape.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { AppError } from "../errors.ts";
import { formatBytes } from "../ui/format-bytes.ts";
import { classify, SNIFF_BYTES, TextDetector } from "./file-types.ts";

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const MAX_NAME_CHARS = 191;
const KEY_SHAPE = /^([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{32})$/;

/** `EVIDENCE_DIR`, or `evidence` under the data directory (`DATA_DIR`, default `./data`). */
export function evidenceDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env.EVIDENCE_DIR?.trim();
  if (configured) return path.resolve(/*turbopackIgnore: true*/ process.cwd(), configured);
  const dataDir = env.DATA_DIR?.trim() || path.join(/*turbopackIgnore: true*/ process.cwd(), "data");
  return path.resolve(dataDir, "evidence");
}

/** `EVIDENCE_MAX_BYTES` (a whole number of bytes), default 20 MB. */
export function evidenceMaxBytes(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.EVIDENCE_MAX_BYTES?.trim();
  if (!raw) return DEFAULT_MAX_BYTES;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`EVIDENCE_MAX_BYTES must be a positive whole number of bytes; got "${raw}"`);
  return n;
}

/**
 * The uploaded name made safe to show and to put in a Content-Disposition: last path segment only,
 * no control or bidirectional-override characters, no characters Windows forbids, at most 191
 * characters (the extension kept), never empty.
 */
export function sanitizeFileName(raw: string): string {
  const base = raw.normalize("NFC").split(/[/\\]/).pop() ?? "";
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
    .replace(/[<>:"|?*]/g, "_")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  const name = cleaned || "file";
  const chars = Array.from(name);
  if (chars.length <= MAX_NAME_CHARS) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (ext.length > 16) return chars.slice(0, MAX_NAME_CHARS).join("");
  const stem = Array.from(name.slice(0, dot));
  return stem.slice(0, MAX_NAME_CHARS - ext.length).join("").trimEnd() + ext.join("");
}

export type StoredFile = { storageKey: string; fileName: string; contentType: string; size: number; sha256: string };

export type FileSource = Blob | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

function chunksOf(source: FileSource): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (source instanceof Uint8Array) return [source];
  if (source instanceof Blob) return source.stream() as unknown as AsyncIterable<Uint8Array>;
  return source as AsyncIterable<Uint8Array>;
}

function pathOf(dir: string, storageKey: string): string {
  const m = KEY_SHAPE.exec(storageKey);
  if (!m || !m[3]!.startsWith(m[1]! + m[2]!)) throw new AppError("not_found", "That file does not exist.");
  const full = path.join(dir, m[1]!, m[2]!, m[3]!);
  if (!full.startsWith(dir + path.sep)) throw new AppError("not_found", "That file does not exist.");
  return full;
}

function tooLarge(fileName: string, maxBytes: number): AppError {
  return new AppError("invalid_input", `"${fileName}" is larger than the ${formatBytes(maxBytes)} limit for evidence files.`, {
    file: `Files may be at most ${formatBytes(maxBytes)}.`,
  });
}

/**
 * Writes `source` to the evidence store. Refuses (AppError invalid_input, nothing left on disk) a
 * file over the size limit as soon as it passes it, without reading the rest; an empty file; and
 * any type that content sniffing does not accept.
 */
export async function storeFile(
  source: FileSource,
  originalName: string,
  options: { maxBytes?: number; dir?: string } = {},
): Promise<StoredFile> {
  const dir = options.dir ?? evidenceDir();
  const maxBytes = options.maxBytes ?? evidenceMaxBytes();
  const fileName = sanitizeFileName(originalName);
  if (source instanceof Blob && source.size > maxBytes) throw tooLarge(fileName, maxBytes);
  const tmpDir = path.join(dir, "tmp");
  await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  await sweepAbandonedUploads(tmpDir);
  const tmp = path.join(tmpDir, `${randomBytes(16).toString("hex")}.part`);
  const handle = await open(tmp, "wx", 0o600);
  let kept = false;
  try {
    const hash = createHash("sha256");
    const text = new TextDetector();
    const head = new Uint8Array(SNIFF_BYTES);
    let size = 0;
    for await (const chunk of chunksOf(source)) {
      if (size + chunk.byteLength > maxBytes) throw tooLarge(fileName, maxBytes);
      if (size < SNIFF_BYTES) head.set(chunk.subarray(0, SNIFF_BYTES - size), size);
      size += chunk.byteLength;
      hash.update(chunk);
      text.push(chunk);
      await handle.write(chunk);
    }
    if (size === 0) throw new AppError("invalid_input", `"${fileName}" is empty.`, { file: "Choose a file that is not empty." });
    const kind = classify(head.subarray(0, Math.min(size, SNIFF_BYTES)), text.isText(), fileName);
    if (!kind.ok) throw new AppError("invalid_input", kind.message, { file: kind.message });
    await handle.sync();
    await handle.close();
    const hex = randomBytes(16).toString("hex");
    const storageKey = `${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`;
    const final = pathOf(dir, storageKey);
    await mkdir(path.dirname(final), { recursive: true, mode: 0o700 });
    await rename(tmp, final);
    kept = true;
    return { storageKey, fileName, contentType: kind.type.contentType, size, sha256: hash.digest("hex") };
  } finally {
    if (!kept) {
      await handle.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
    }
  }
}

/** Partial uploads older than this were abandoned by a crashed or killed process. */
const ABANDONED_AFTER_MS = 60 * 60_000;

/** Removes `.part` files left by a process that died mid-upload (a live upload is never that old). */
export async function sweepAbandonedUploads(tmpDir: string, now = Date.now()): Promise<number> {
  const names = await readdir(tmpDir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith(".part"))) {
    const full = path.join(tmpDir, name);
    const info = await stat(full).catch(() => null);
    if (info && now - info.mtimeMs > ABANDONED_AFTER_MS) {
      await unlink(full).catch(() => undefined);
      removed++;
    }
  }
  return removed;
}

/** A stored file's bytes as a web stream; not_found for a key of the wrong shape or a missing file. */
export async function openStoredFile(storageKey: string, dir = evidenceDir()): Promise<{ stream: ReadableStream<Uint8Array>; size: number }> {
  const full = pathOf(dir, storageKey);
  const info = await stat(full).catch(() => null);
  if (!info?.isFile()) throw new AppError("not_found", "That file is missing from the evidence store.");
  const stream = Readable.toWeb(createReadStream(full)) as ReadableStream<Uint8Array>;
  return { stream, size: info.size };
}

/** Removes a stored file (used when its database row could not be written); missing is fine. */
export async function deleteStoredFile(storageKey: string, dir = evidenceDir()): Promise<void> {
  await unlink(pathOf(dir, storageKey)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "ENOENT") throw err;
  });
}
