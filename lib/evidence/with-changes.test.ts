import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChange, recordEvidence } from "../changes/service.ts";
import { createInput, ctx, makeCast } from "../changes/testing.ts";
import { db } from "../db/client.ts";
import { storeEvidenceFile } from "./service.ts";

/* An uploaded file as checklist evidence: lib/changes references it by id and binds its sha256. */

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "evidence-changes-"));
  process.env.EVIDENCE_DIR = dir;
});
afterAll(async () => {
  delete process.env.EVIDENCE_DIR;
  await rm(dir, { recursive: true, force: true });
});

describe("evidence files in checklist evidence", () => {
  it("an uploaded scan report becomes the security-scan evidence, and its sha256 enters the change's digest", async () => {
    const { requester, service } = await makeCast();
    const change = await createChange(requester, createInput({ serviceId: service.id, stakeholderIds: [] }), ctx);
    const digestBefore = (await db.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).contentDigest;

    const file = await storeEvidenceFile(requester, { id: change.id }, { file: new File(['{"high":0}'], "trivy.json"), name: "trivy.json" }, ctx);
    // Uploading alone changes nothing approvers approve.
    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).contentDigest).toBe(digestBefore);

    const recorded = await recordEvidence(requester, { changeId: change.id, item: "SECURITY_SCAN", result: "PASSED", summary: "", link: "", fileId: file.id, timezoneOffset: 0 }, ctx);
    const evidence = await db.changeEvidence.findUniqueOrThrow({ where: { id: recorded.evidenceId }, include: { file: true } });
    expect(evidence.file).toMatchObject({ id: file.id, sha256: file.sha256 });
    expect((await db.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).contentDigest).not.toBe(digestBefore);
  });

  it("a file uploaded to another change cannot be used as this change's evidence", async () => {
    const { requester, service } = await makeCast();
    const mine = await createChange(requester, createInput({ serviceId: service.id, stakeholderIds: [] }), ctx);
    const other = await createChange(requester, createInput({ serviceId: service.id, stakeholderIds: [] }), ctx);
    const file = await storeEvidenceFile(requester, { id: other.id }, { file: new File(["%PDF-1.7\n%%EOF\n"], "scan.pdf"), name: "scan.pdf" }, ctx);
    await expect(
      recordEvidence(requester, { changeId: mine.id, item: "SECURITY_SCAN", result: "PASSED", summary: "", link: "", fileId: file.id, timezoneOffset: 0 }, ctx),
    ).rejects.toThrow("That file is not attached to this change. Upload it first.");
  });
});
