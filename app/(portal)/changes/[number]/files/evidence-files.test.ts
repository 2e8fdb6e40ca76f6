import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { auditOf, makeUser } from "@/lib/testing/actors";

// The action and the route read the session through next/headers; here the signed-in user is given directly.
const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/current-user", () => ({ currentUser: async () => session.user }));
vi.mock("@/lib/http/request-context", async (original) => ({
  ...(await original<typeof import("@/lib/http/request-context")>()),
  requestContext: async () => ({ ip: "192.0.2.7", userAgent: "vitest-browser" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
const { uploadEvidenceFileAction } = await import("./actions.ts");
const { GET } = await import("./[fileId]/route.ts");

let dir = "";
let operator: CurrentUser;
let viewer: CurrentUser;
const changes: { id: string; number: number }[] = [];

const asUser = (u: { id: string; email: string; name: string; role: CurrentUser["role"] }): CurrentUser => ({ ...u, sessionId: "s", stepUpAt: null });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "evidence-ui-"));
  process.env.EVIDENCE_DIR = dir;
  operator = asUser(await makeUser("OPERATOR"));
  viewer = asUser(await makeUser("VIEWER"));
  const service = await db.service.create({ data: { name: "checkout", environment: "PRODUCTION", ownerTeam: "Shop", tier: 2 } });
  for (const number of [7, 8]) {
    changes.push(
      await db.changeRequest.create({
        data: {
          number,
          title: `Change ${number}`,
          serviceId: service.id,
          type: "NORMAL",
          risk: "LOW",
          plannedStart: new Date(Date.now() + 86_400_000),
          plannedEnd: new Date(Date.now() + 90_000_000),
          requesterId: operator.id,
        },
        select: { id: true, number: true },
      }),
    );
  }
});

afterAll(async () => {
  delete process.env.EVIDENCE_DIR;
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  session.user = operator;
});

function form(number: string, file?: File): FormData {
  const f = new FormData();
  f.set("number", number);
  if (file) f.set("file", file);
  return f;
}

const download = (number: string, fileId: string) =>
  GET(new Request(`http://portal.test/changes/${number}/files/${fileId}`, { headers: { "user-agent": "vitest-browser" } }), {
    params: Promise.resolve({ number, fileId }),
  });

describe("upload action", () => {
  it("stores the file for the change and returns its id for the evidence form", async () => {
    const result = await uploadEvidenceFileAction(form("CHG-000007", new File(["p95 212 ms\n"], "k6-summary.txt")));
    expect(result).toEqual({
      ok: true,
      data: { id: expect.any(String), fileName: "k6-summary.txt", size: 11, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), contentType: "text/plain" },
    });
    const [event] = await auditOf("change.file_uploaded", changes[0]!.id);
    expect(event).toMatchObject({ actorId: operator.id, ip: "192.0.2.7" });
  });

  it("asks for a file when none was chosen, and refuses a viewer", async () => {
    expect(await uploadEvidenceFileAction(form("CHG-000007"))).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { file: "Choose a file to upload." } });
    expect(await uploadEvidenceFileAction(form("CHG-000007", new File([], "")))).toMatchObject({ ok: false, fieldErrors: { file: "Choose a file to upload." } });
    session.user = viewer;
    expect(await uploadEvidenceFileAction(form("CHG-000007", new File(["x"], "x.txt")))).toEqual({
      ok: false,
      code: "forbidden",
      message: "Your role does not allow this.",
    });
  });

  it("returns the storage refusal on the file field", async () => {
    const result = await uploadEvidenceFileAction(form("CHG-000007", new File([Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 0])], "agent")));
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { file: expect.stringMatching(/^This kind of file is not accepted/) } });
  });
});

describe("GET /changes/:number/files/:fileId", () => {
  it("serves an HTML upload as an attachment of bytes, sandboxed, with the name in RFC 5987 form, and audits it", async () => {
    const up = await uploadEvidenceFileAction(form("7", new File(["<script>fetch('/api/v1/me')</script>"], "Prüfbericht \"final\".html")));
    if (!up.ok) throw new Error(up.message);
    session.user = viewer;
    const res = await download("CHG-000007", up.data.id);
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="Pr_fbericht _final_.html"; filename*=UTF-8''Pr%C3%BCfbericht%20_final_.html`,
      "content-security-policy": "sandbox; default-src 'none'",
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
      "repr-digest": `sha-256=:${Buffer.from(up.data.sha256, "hex").toString("base64")}:`,
    });
    expect(await res.text()).toBe("<script>fetch('/api/v1/me')</script>");
    const events = await auditOf("change.file_downloaded", changes[0]!.id);
    expect(events.at(-1)).toMatchObject({ actorId: viewer.id, userAgent: "vitest-browser" });
  });

  it("keeps a safe type such as PDF", async () => {
    const up = await uploadEvidenceFileAction(form("7", new File(["%PDF-1.4\n%%EOF\n"], "scan.pdf")));
    if (!up.ok) throw new Error(up.message);
    const res = await download("CHG-000007", up.data.id);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-length")).toBe("15");
  });

  it("answers 404 for a file of another change, 401 without a session", async () => {
    const up = await uploadEvidenceFileAction(form("8", new File(["secret numbers"], "other.txt")));
    if (!up.ok) throw new Error(up.message);
    const before = (await auditOf("change.file_downloaded")).length;
    const wrong = await download("CHG-000007", up.data.id);
    expect(wrong.status).toBe(404);
    expect((await wrong.json()).error.message).toBe("CHG-000007 has no such file.");
    expect((await download("CHG-000007", "../../etc/passwd")).status).toBe(404);
    session.user = null;
    expect((await download("CHG-000008", up.data.id)).status).toBe(401);
    expect(await auditOf("change.file_downloaded")).toHaveLength(before);
  });
});
