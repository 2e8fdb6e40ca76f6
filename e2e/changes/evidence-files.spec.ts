import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { signIn } from "../support/auth";

/*
 * Evidence files through the real server: the proxy and Next's body limits let a file over 10 MB
 * through to the 20 MB limit; downloads come with the route's sandbox CSP (not the pages' CSP),
 * as attachments, only to a signed-in user and only for the change the file belongs to.
 */

type Seeded = { number: number; otherNumber: number; token: string };
const chg = (n: number) => `CHG-${String(n).padStart(6, "0")}`;

function seed(): Seeded {
  const out = execFileSync(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), path.join("e2e", "support", "evidence-seed-cli.ts")], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db", LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").at(-1) ?? "null") as Seeded;
}

async function upload(request: APIRequestContext, s: Seeded, number: number, name: string, buffer: Buffer, mimeType = "application/octet-stream") {
  return request.post(`/api/v1/changes/${chg(number)}/files`, {
    headers: { authorization: `Bearer ${s.token}` },
    multipart: { file: { name, mimeType, buffer } },
  });
}

test("a pipeline uploads a 15 MB report, and a 21 MB one is refused", async ({ request }) => {
  const s = seed();
  const big = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(15 * 1024 * 1024, "a"), Buffer.from("\n%%EOF\n")]);
  const ok = await upload(request, s, s.number, "load-test.pdf", big, "application/pdf");
  expect(ok.status()).toBe(201);
  const { data } = (await ok.json()) as { data: { file: { size: number; sha256: string; contentType: string } } };
  expect(data.file).toMatchObject({ size: big.byteLength, contentType: "application/pdf", sha256: createHash("sha256").update(big).digest("hex") });

  const tooBig = await upload(request, s, s.number, "huge.pdf", Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(21 * 1024 * 1024, "a")]));
  expect(tooBig.status()).toBe(413);
});

test("a signed-in viewer downloads an uploaded HTML file as a sandboxed attachment, never rendered in the portal", async ({ page, request }) => {
  const s = seed();
  const html = Buffer.from("<h1>ZAP report</h1><script>document.title = 'ran'</script>");
  const res = await upload(request, s, s.number, "zap-report.html", html, "text/html");
  expect(res.status()).toBe(201);
  const { data } = (await res.json()) as { data: { file: { id: string } } };
  const url = `/changes/${chg(s.number)}/files/${data.file.id}`;

  expect((await request.get(url)).status()).toBe(401);

  await signIn(page, "viewer@demo.local");
  const download = await page.request.get(url);
  expect(download.status()).toBe(200);
  const headers = download.headers();
  expect(headers["content-security-policy"]).toBe("sandbox; default-src 'none'");
  expect(headers["content-type"]).toBe("application/octet-stream");
  expect(headers["content-disposition"]).toBe(`attachment; filename="zap-report.html"; filename*=UTF-8''zap-report.html`);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(await download.body()).toEqual(html);

  // The same file asked for under another change's number is not found.
  expect((await page.request.get(`/changes/${chg(s.otherNumber)}/files/${data.file.id}`)).status()).toBe(404);
});
