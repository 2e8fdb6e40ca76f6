import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { deleteStoredFile, evidenceDir, openStoredFile, sanitizeFileName, storeFile, sweepAbandonedUploads } from "./storage.ts";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "evidence-storage-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const ELF = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0]);
const text = (s: string) => new TextEncoder().encode(s);

/** Every file under the store, relative paths, sorted. */
async function filesIn(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function* slowChunks(total: number, chunk: number, counter: { read: number }) {
  for (let sent = 0; sent < total; sent += chunk) {
    counter.read += chunk;
    yield new Uint8Array(chunk).fill(0x61); // "aaaa…": text, so only the size can refuse it
  }
}

describe("evidence storage", () => {
  it("stores under a random two-level key with the right sha256, size and sniffed type", async () => {
    const stored = await storeFile(PDF, "scan-report.pdf", { dir });
    expect(stored).toEqual({
      storageKey: expect.stringMatching(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{32}$/),
      fileName: "scan-report.pdf",
      contentType: "application/pdf",
      size: PDF.byteLength,
      sha256: createHash("sha256").update(PDF).digest("hex"),
    });
    const [a, b, hex] = stored.storageKey.split("/");
    expect(hex!.startsWith(a! + b!)).toBe(true);
    expect(await filesIn(dir)).toEqual([stored.storageKey]);
    expect(new Uint8Array(await readFile(path.join(dir, stored.storageKey)))).toEqual(PDF);
  });

  it("reads a stored file back as a stream", async () => {
    const stored = await storeFile(new Blob([PNG]), "graph.png", { dir });
    const { stream, size } = await openStoredFile(stored.storageKey, dir);
    expect(size).toBe(PNG.byteLength);
    expect(new Uint8Array(await new Response(stream).arrayBuffer())).toEqual(PNG);
  });

  it("refuses a file over the limit as soon as it passes it, leaving nothing on disk", async () => {
    const counter = { read: 0 };
    const err = await refusal(storeFile(slowChunks(10 * 1024 * 1024, 64 * 1024, counter), "big.log", { dir, maxBytes: 1024 * 1024 }));
    expect(err.message).toBe('"big.log" is larger than the 1 MB limit for evidence files.');
    expect(counter.read).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);
    expect(await filesIn(dir)).toEqual([]);
  });

  it("refuses a Blob over the limit without reading it", async () => {
    const err = await refusal(storeFile(new Blob([new Uint8Array(2048)]), "x.txt", { dir, maxBytes: 1024 }));
    expect(err.code).toBe("invalid_input");
    expect(await filesIn(dir)).toEqual([]);
  });

  it("accepts a file of exactly the limit", async () => {
    const stored = await storeFile(text("a".repeat(1024)), "a.txt", { dir, maxBytes: 1024 });
    expect(stored.size).toBe(1024);
  });

  it("refuses an executable, whatever it is called, leaving nothing on disk", async () => {
    expect((await refusal(storeFile(ELF, "tool", { dir }))).message).toMatch(/^This kind of file is not accepted\. Upload PDF, PNG/);
    expect((await refusal(storeFile(ELF, "report.pdf", { dir }))).message).toBe('"report.pdf" is named like a PDF but its content is not.');
    expect((await refusal(storeFile(ELF, "notes.txt", { dir }))).message).toBe('"notes.txt" is named like a text file but its content is not.');
    expect(await filesIn(dir)).toEqual([]);
  });

  it("refuses a file whose name claims another type than its content", async () => {
    expect((await refusal(storeFile(PNG, "scan.pdf", { dir }))).message).toBe(
      '"scan.pdf" is named like a PDF but its content is a PNG image. Rename it or upload the right file.',
    );
    expect((await refusal(storeFile(text("just text"), "scan.pdf", { dir }))).message).toBe(
      '"scan.pdf" is named like a PDF but its content is plain text.',
    );
    expect((await refusal(storeFile(text("alert(1)"), "x.js", { dir }))).message).toMatch(/^Files ending in \.js are not accepted/);
  });

  it("tells text types apart by extension and refuses invalid UTF-8 or control characters", async () => {
    const type = async (bytes: Uint8Array, name: string) => (await storeFile(bytes, name, { dir })).contentType;
    expect(await type(text("a,b\n1,2\n"), "results.csv")).toBe("text/csv");
    expect(await type(text('{"passed":true}'), "zap.json")).toBe("application/json");
    expect(await type(text("<r/>"), "junit.xml")).toBe("application/xml");
    expect(await type(text("<h1>Report</h1>"), "report.HTML")).toBe("text/html");
    expect(await type(text("ok \u001b[32mgreen\u001b[0m ✓\n"), "ci.log")).toBe("text/plain");
    expect(await type(text("no extension"), "README")).toBe("text/plain");
    await refusal(storeFile(Uint8Array.from([0x61, 0xc3, 0x28]), "broken.txt", { dir }));
    await refusal(storeFile(Uint8Array.from([0x61, 0x00, 0x62]), "nul.txt", { dir }));
    await refusal(storeFile(Uint8Array.from([0x61, 0xe2, 0x82]), "cut.txt", { dir })); // truncated multi-byte sequence
  });

  it("sniffs jpeg, zip and gzip by their magic bytes", async () => {
    const type = async (bytes: number[], name: string) => (await storeFile(Uint8Array.from([...bytes, 1, 2, 3, 4]), name, { dir })).contentType;
    expect(await type([0xff, 0xd8, 0xff, 0xe0], "photo.jpg")).toBe("image/jpeg");
    expect(await type([0x50, 0x4b, 0x03, 0x04], "logs.zip")).toBe("application/zip");
    expect(await type([0x1f, 0x8b, 0x08, 0x00], "logs.tar.gz")).toBe("application/gzip");
  });

  it("refuses an empty file", async () => {
    expect((await refusal(storeFile(new Uint8Array(0), "empty.txt", { dir }))).message).toBe('"empty.txt" is empty.');
    expect(await filesIn(dir)).toEqual([]);
  });

  it("never lets the uploaded name reach a path", async () => {
    const stored = await storeFile(text("owned"), "../../../../etc/cron.d/evil.txt", { dir });
    expect(stored.fileName).toBe("evil.txt");
    expect(await filesIn(dir)).toEqual([stored.storageKey]);
    const windows = await storeFile(text("x"), "..\\..\\boot.ini\u202e.txt", { dir });
    expect(windows.fileName).toBe("boot.ini.txt");
  });

  it("cleans names for display: controls removed, reserved characters replaced, 191 characters kept with the extension", () => {
    expect(sanitizeFileName("  report\u0000\n<final>?.pdf ")).toBe("report_final__.pdf");
    expect(sanitizeFileName("...")).toBe("file");
    expect(sanitizeFileName("/")).toBe("file");
    const long = sanitizeFileName(`${"é".repeat(300)}.pdf`);
    expect(Array.from(long)).toHaveLength(191);
    expect(long.endsWith("é.pdf")).toBe(true);
  });

  it("opens and deletes only keys of the storage shape", async () => {
    for (const key of ["../../etc/passwd", "ab/cd/../../../x", "/etc/passwd", "ab/cd/ffffffffffffffffffffffffffffffff", "AB/CD/abcd0000000000000000000000000000"]) {
      expect((await refusal(openStoredFile(key, dir))).code).toBe("not_found");
      expect((await refusal(deleteStoredFile(key, dir))).code).toBe("not_found");
    }
  });

  it("sweeps partial uploads abandoned over an hour ago, and leaves recent ones", async () => {
    const tmp = path.join(dir, "tmp");
    await mkdir(tmp);
    await writeFile(path.join(tmp, "old.part"), "x");
    await writeFile(path.join(tmp, "live.part"), "x");
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(path.join(tmp, "old.part"), twoHoursAgo, twoHoursAgo);
    expect(await sweepAbandonedUploads(tmp)).toBe(1);
    expect(await readdir(tmp)).toEqual(["live.part"]);
  });

  it("places the store under EVIDENCE_DIR, else under DATA_DIR, else ./data", () => {
    expect(evidenceDir({ EVIDENCE_DIR: "/srv/evidence" })).toBe("/srv/evidence");
    expect(evidenceDir({ EVIDENCE_DIR: "store" })).toBe(path.resolve(process.cwd(), "store"));
    expect(evidenceDir({ DATA_DIR: "/var/lib/portal" })).toBe("/var/lib/portal/evidence");
    expect(evidenceDir({})).toBe(path.resolve(process.cwd(), "data", "evidence"));
  });
});
