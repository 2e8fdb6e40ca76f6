import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { confirmStepUp, seedUsers, signInAs } from "../support/audit-seed";

test.describe.configure({ timeout: 90_000 });

test("an auditor downloads the filtered trail as CSV after confirming with a code, and the export is audited", async ({ page }) => {
  const targetId = `svc-export-${randomBytes(3).toString("hex")}`;
  const [operator, auditor] = await seedUsers(["OPERATOR", "AUDITOR"], {
    events: { action: "service.updated", targetType: "Service", targetId, count: 12 },
  });
  await signInAs(page, auditor);

  // Without a recent step-up the download URL itself refuses.
  const early = await page.request.get(`/api/audit/export?format=csv&targetType=Service&targetId=${targetId}`);
  expect(early.status()).toBe(403);
  expect((await early.json()).error.code).toBe("step_up_required");

  await page.goto(`/audit?targetType=Service&targetId=${targetId}`);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  await confirmStepUp(page, auditor);
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-trail-\d{8}T\d{6}Z\.csv$/);

  const lines = (await readFile((await file.path())!, "utf8")).trimEnd().split("\r\n");
  expect(lines[0]).toBe("seq,at,actorId,actorLabel,ip,userAgent,action,targetType,targetId,changes,prevHash,hash");
  expect(lines).toHaveLength(13);
  for (const line of lines.slice(1)) {
    expect(line).toContain(`,${operator.email},`);
    expect(line).toContain(`,service.updated,Service,${targetId},`);
  }
  // Oldest first; the formula someone typed is neutralised with a leading apostrophe.
  expect(lines[1]).toContain(`"{""step"":1,""note"":""=cmd|' /C calc'!A0""}"`);
  expect(lines[12]).toContain(`"{""step"":12,""note"":""change 12""}"`);

  await page.goto(`/audit?action=audit.exported&actor=${encodeURIComponent(auditor.email)}`);
  const row = page.getByRole("table", { name: /Matching audit events/ }).locator("tbody tr");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("format:csv");
  await expect(row).toContainText(`filters.targetId:${targetId}`);
});
