import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { auditOf, makeUser, TEST_CONTEXT } from "../testing/actors.ts";
import { evidenceFilesOf, openEvidenceFile, storeEvidenceFile, type EvidenceActor } from "./service.ts";

let dir = "";
let operator: EvidenceActor;
let viewer: EvidenceActor;
let serviceId = "";
let nextNumber = 1;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "evidence-service-"));
  process.env.EVIDENCE_DIR = dir;
  operator = await makeUser("OPERATOR");
  viewer = await makeUser("VIEWER");
  ({ id: serviceId } = await db.service.create({ data: { name: "payments-api", environment: "PRODUCTION", ownerTeam: "Payments", tier: 1 } }));
});

afterAll(async () => {
  delete process.env.EVIDENCE_DIR;
  await rm(dir, { recursive: true, force: true });
});

async function makeChange(status: "DRAFT" | "SUBMITTED" | "CLOSED" | "CANCELLED" = "DRAFT") {
  const now = Date.now();
  return db.changeRequest.create({
    data: {
      number: nextNumber++,
      title: "Upgrade payments",
      serviceId,
      type: "NORMAL",
      risk: "MEDIUM",
      plannedStart: new Date(now + 86_400_000),
      plannedEnd: new Date(now + 90_000_000),
      requesterId: operator.id,
      status,
    },
  });
}

const report = () => new File(["%PDF-1.7\nscan: 0 critical, 0 high\n%%EOF\n"], "zap-scan.pdf", { type: "application/pdf" });
const upload = (file: File) => ({ file, name: file.name });

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("storeEvidenceFile", () => {
  it("stores the file, writes its row and audits the upload against the change", async () => {
    const change = await makeChange();
    const file = report();
    const bytes = new Uint8Array(await file.arrayBuffer());
    const uploaded = await storeEvidenceFile(operator, { number: change.number }, upload(file), TEST_CONTEXT);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    expect(uploaded).toEqual({ id: expect.any(String), fileName: "zap-scan.pdf", size: bytes.byteLength, sha256, contentType: "application/pdf" });

    const row = await db.evidenceFile.findUniqueOrThrow({ where: { id: uploaded.id } });
    expect(row).toMatchObject({ changeId: change.id, uploadedById: operator.id, sha256 });
    expect(await storedFiles()).toContain(row.storageKey);

    const [event] = await auditOf("change.file_uploaded", change.id);
    expect(event).toMatchObject({ targetType: "ChangeRequest", actorId: operator.id, actorLabel: operator.email });
    expect(event!.changes).toEqual({ fileId: uploaded.id, fileName: "zap-scan.pdf", size: bytes.byteLength, sha256, contentType: "application/pdf" });
    expect((await evidenceFilesOf(change.id)).map((f) => f.id)).toEqual([uploaded.id]);
  });

  it("refuses a role without change.create, and closed or cancelled changes, before storing anything", async () => {
    const before = await storedFiles();
    const draft = await makeChange();
    expect((await refusal(storeEvidenceFile(viewer, { id: draft.id }, upload(report()), TEST_CONTEXT))).code).toBe("forbidden");
    for (const status of ["CLOSED", "CANCELLED"] as const) {
      const change = await makeChange(status);
      const err = await refusal(storeEvidenceFile(operator, { id: change.id }, upload(report()), TEST_CONTEXT));
      expect(err.message).toBe(`CHG-${String(change.number).padStart(6, "0")} is ${status.toLowerCase()}; its evidence can no longer change.`);
    }
    expect((await refusal(storeEvidenceFile(operator, { number: 999_999 }, upload(report()), TEST_CONTEXT))).code).toBe("not_found");
    expect(await storedFiles()).toEqual(before);
  });

  it("removes the stored file again when the database write fails, leaving no orphan", async () => {
    const change = await makeChange();
    const before = await storedFiles();
    // An actor whose user row is gone (deleted mid-upload): the row's foreign key fails inside the transaction.
    const ghost: EvidenceActor = { id: "no-such-user", email: "ghost@example.test", role: "OPERATOR" };
    await expect(storeEvidenceFile(ghost, { id: change.id }, upload(report()), TEST_CONTEXT)).rejects.toThrow();
    expect(await storedFiles()).toEqual(before);
    expect(await db.evidenceFile.count({ where: { changeId: change.id } })).toBe(0);
    expect(await auditOf("change.file_uploaded", change.id)).toEqual([]);
  });

  it("refuses a disallowed type with a message naming what is accepted", async () => {
    const change = await makeChange();
    const exe = new File([Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00])], "setup.exe");
    const err = await refusal(storeEvidenceFile(operator, { id: change.id }, upload(exe), TEST_CONTEXT));
    expect(err.message).toBe("Files ending in .exe are not accepted. Upload PDF, PNG, JPEG, ZIP, gzip or text (txt, log, csv, json, xml, html).");
    expect(err.fieldErrors).toEqual({ file: err.message });
  });
});

describe("openEvidenceFile", () => {
  it("streams a change's file with a safe content type and audits the download", async () => {
    const change = await makeChange("SUBMITTED");
    const uploaded = await storeEvidenceFile(operator, { id: change.id }, upload(new File(["<script>alert(1)</script>"], "report.html")), TEST_CONTEXT);
    const download = await openEvidenceFile(viewer, { number: change.number }, uploaded.id, TEST_CONTEXT);
    expect(download).toMatchObject({ fileName: "report.html", contentType: "application/octet-stream", sha256: uploaded.sha256 });
    expect(await new Response(download.stream).text()).toBe("<script>alert(1)</script>");
    const [event] = await auditOf("change.file_downloaded", change.id);
    expect(event).toMatchObject({ actorId: viewer.id, targetType: "ChangeRequest" });
    expect(event!.changes).toEqual({ fileId: uploaded.id, fileName: "report.html", sha256: uploaded.sha256 });
  });

  it("says not found for a file of another change, without auditing a download", async () => {
    const mine = await makeChange();
    const other = await makeChange();
    const uploaded = await storeEvidenceFile(operator, { id: other.id }, upload(report()), TEST_CONTEXT);
    const err = await refusal(openEvidenceFile(viewer, { id: mine.id }, uploaded.id, TEST_CONTEXT));
    expect(err.code).toBe("not_found");
    expect(err.message).toBe(`CHG-${String(mine.number).padStart(6, "0")} has no such file.`);
    expect(await auditOf("change.file_downloaded", mine.id)).toEqual([]);
  });
});
