import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/api-tokens/service";
import { db } from "@/lib/db/client";
import { auditOf, makeUser } from "@/lib/testing/actors";
import { POST } from "./route.ts";

let dir = "";
let operatorToken = "";
let operatorPrefix = "";
let viewerToken = "";
let changeId = "";
let ownerEmail = "";

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "evidence-api-"));
  process.env.EVIDENCE_DIR = dir;
  const owner = await makeUser("OPERATOR");
  ownerEmail = owner.email;
  const context = { ip: "", userAgent: "vitest" };
  ({ token: operatorToken, prefix: operatorPrefix } = await createApiToken(owner, { name: "ci", role: "OPERATOR", expiresInDays: 7 }, context));
  ({ token: viewerToken } = await createApiToken(owner, { name: "dashboard", role: "VIEWER", expiresInDays: 7 }, context));
  const service = await db.service.create({ data: { name: "payments-api", environment: "PRODUCTION", ownerTeam: "Payments", tier: 1 } });
  ({ id: changeId } = await db.changeRequest.create({
    data: {
      number: 42,
      title: "Upgrade payments",
      serviceId: service.id,
      type: "NORMAL",
      risk: "LOW",
      plannedStart: new Date(Date.now() + 86_400_000),
      plannedEnd: new Date(Date.now() + 90_000_000),
      requesterId: owner.id,
    },
  }));
});

afterAll(async () => {
  delete process.env.EVIDENCE_DIR;
  await rm(dir, { recursive: true, force: true });
});

function upload(number: string, token: string | null, form: FormData | null): [Request, { params: Promise<{ number: string }> }] {
  const request = new Request(`http://portal.test/api/v1/changes/${number}/files`, {
    method: "POST",
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "user-agent": "gitlab-runner/17" },
    body: form ?? undefined,
  });
  return [request, { params: Promise.resolve({ number }) }];
}

const scanForm = (content = '{"critical":0,"high":0}', name = "trivy.json") => {
  const form = new FormData();
  form.set("file", new File([content], name, { type: "application/json" }));
  return form;
};

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe("POST /api/v1/changes/:number/files", () => {
  it("stores a pipeline's file, answers 201 with its id, and audits it as the token", async () => {
    const res = await POST(...upload("CHG-000042", operatorToken, scanForm()));
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: { file: { id: string; sha256: string } } };
    expect(data.file).toEqual({
      id: expect.any(String),
      fileName: "trivy.json",
      size: 23,
      sha256: createHash("sha256").update('{"critical":0,"high":0}').digest("hex"),
      contentType: "application/json",
    });
    const row = await db.evidenceFile.findUniqueOrThrow({ where: { id: data.file.id } });
    expect(row.changeId).toBe(changeId);
    const [event] = await auditOf("change.file_uploaded", changeId);
    expect(event).toMatchObject({ actorLabel: `${ownerEmail} (API token ${operatorPrefix})`, userAgent: "gitlab-runner/17" });
    expect(event!.changes).toMatchObject({ fileId: data.file.id });
  });

  it("refuses a VIEWER token with 403 and an audited denial, storing nothing", async () => {
    const before = await storedFiles();
    const res = await POST(...upload("CHG-000042", viewerToken, scanForm()));
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toBe("This token's role does not allow change.create.");
    const denied = await db.auditEvent.findFirstOrThrow({ where: { action: "access.denied" }, orderBy: { seq: "desc" } });
    expect(JSON.parse(denied.changes)).toMatchObject({ permission: "change.create", attempted: "api.changes.files.upload" });
    expect(await storedFiles()).toEqual(before);
  });

  it("refuses without a token", async () => {
    expect((await POST(...upload("CHG-000042", null, scanForm()))).status).toBe(401);
  });

  it("says 404 for an unknown change or a malformed number", async () => {
    for (const number of ["CHG-000043", "not-a-change"]) {
      const res = await POST(...upload(number, operatorToken, scanForm()));
      expect(res.status).toBe(404);
    }
  });

  it("answers 400 naming the field when no file was sent, or the body is JSON", async () => {
    const form = new FormData();
    form.set("note", "no file here");
    const res = await POST(...upload("42", operatorToken, form));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({
      code: "invalid_input",
      message: 'Choose a file to upload (form field "file").',
      fields: { file: 'Choose a file to upload (form field "file").' },
    });
    const json = new Request("http://portal.test/api/v1/changes/42/files", {
      method: "POST",
      headers: { authorization: `Bearer ${operatorToken}`, "content-type": "application/json" },
      body: "{}",
    });
    const wrong = await POST(json, { params: Promise.resolve({ number: "42" }) });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.message).toBe("Send the body as multipart/form-data.");
  });

  it("refuses a disallowed type with 400 and the reason", async () => {
    const res = await POST(...upload("42", operatorToken, scanForm("MZ\u0000\u0000binary", "scan.pdf")));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe('"scan.pdf" is named like a PDF but its content is not.');
  });

  it("answers 413 for a body over the limit, whether or not it declares its length", async () => {
    process.env.EVIDENCE_MAX_BYTES = "1024";
    try {
      const before = await storedFiles();
      // A declared Content-Length over the limit is refused before a byte is read.
      const unread = new ReadableStream<Uint8Array>({
        pull() {
          throw new Error("the body was read");
        },
      });
      const declared = new Request("http://portal.test/api/v1/changes/42/files", {
        method: "POST",
        headers: { authorization: `Bearer ${operatorToken}`, "content-type": "multipart/form-data; boundary=x", "content-length": "200000" },
        body: unread,
        duplex: "half",
      } as RequestInit);
      const declaredRes = await POST(declared, { params: Promise.resolve({ number: "42" }) });
      expect(declaredRes.status).toBe(413);
      expect((await declaredRes.json()).error.message).toBe("The request body is larger than the 65 KB allowed.");

      // Sent without a Content-Length (undici streams FormData so): the reader stops once past the limit.
      const streamed = upload("42", operatorToken, scanForm("a".repeat(200_000), "big.txt"));
      expect(streamed[0].headers.get("content-length")).toBeNull();
      expect((await POST(...streamed)).status).toBe(413);

      // A file just over the limit inside a small envelope is refused by storage, still as 400.
      const slightly = await POST(...upload("42", operatorToken, scanForm("a".repeat(1025), "over.txt")));
      expect(slightly.status).toBe(400);
      expect((await slightly.json()).error.message).toBe('"over.txt" is larger than the 1 KB limit for evidence files.');
      expect(await storedFiles()).toEqual(before);
    } finally {
      delete process.env.EVIDENCE_MAX_BYTES;
    }
  });
});
