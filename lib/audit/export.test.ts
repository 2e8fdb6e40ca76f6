import { beforeAll, describe, expect, it } from "vitest";
import { appendAuditEventsBulk } from "../db/audit-bulk.ts";
import { db } from "../db/client.ts";
import { auditExportHref, startAuditExport } from "./export.ts";
import { GENESIS_HASH, eventHash, type ChainedFields } from "./chain.ts";
import { recordAudit } from "./record.ts";

const auditor = { id: "auditor-1", email: "auditor@example.com" };
const context = { ip: "198.51.100.7", userAgent: "vitest" };

beforeAll(async () => {
  // 2,100 events: more than two export batches. Every 700th carries text a spreadsheet would run.
  await appendAuditEventsBulk(
    db,
    Array.from({ length: 2_100 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 0, 1) + i * 1_000),
      actorId: null,
      actorLabel: i % 700 === 0 ? "=HYPERLINK(\"http://evil.test\",\"click\")" : `p${i % 4}@example.com`,
      ip: "10.0.0.1",
      userAgent: "agent, with comma",
      action: i % 2 ? "service.updated" : "service.created",
      targetType: "Service",
      targetId: `svc-${i}`,
      changes: JSON.stringify({ note: `line "${i}"\nnext` }),
    })),
  );
});

async function read(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/** A small RFC 4180 reader, enough to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") endCell();
    else if (c === "\r" && text[i + 1] === "\n") {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  return rows;
}

describe("audit export", () => {
  it("streams every matching event as CSV, oldest first, with formula cells neutralised", async () => {
    const file = await startAuditExport(auditor, { action: "service.created" }, "csv", context, new Date("2026-11-27T02:25:00.123Z"));
    expect(file.filename).toBe("audit-trail-20261127T022500Z.csv");
    expect(file.contentType).toBe("text/csv; charset=utf-8");
    const rows = parseCsv(await read(file.stream));
    expect(rows[0]).toEqual(["seq", "at", "actorId", "actorLabel", "ip", "userAgent", "action", "targetType", "targetId", "changes", "prevHash", "hash"]);
    const data = rows.slice(1);
    expect(data).toHaveLength(1_050);
    expect(data.map((r) => Number(r[0]))).toEqual(Array.from({ length: 1_050 }, (_, i) => 1 + i * 2));
    expect(data[0]![3]).toBe("'=HYPERLINK(\"http://evil.test\",\"click\")");
    expect(data[0]![5]).toBe("agent, with comma");
    expect(JSON.parse(data[1]![9]!)).toEqual({ note: 'line "2"\nnext' });
  });

  it("streams JSON that keeps every stored field, so the chain can be re-checked offline", async () => {
    const file = await startAuditExport(auditor, {}, "json", context);
    const events = JSON.parse(await read(file.stream)) as Array<Omit<ChainedFields, "at"> & { at: string; hash: string }>;
    const exported = await db.auditEvent.findFirstOrThrow({ where: { action: "audit.exported" }, orderBy: { seq: "desc" } });
    expect(events).toHaveLength(exported.seq - 1); // everything before the export's own event
    let prevHash = GENESIS_HASH;
    for (const e of events) {
      expect(e.prevHash).toBe(prevHash);
      expect(eventHash({ ...e, at: new Date(e.at) })).toBe(e.hash);
      prevHash = e.hash;
    }
  });

  it("records the export with its filters before streaming, and exports only events before that record", async () => {
    const file = await startAuditExport(auditor, { actor: "p1@example.com", targetType: "Service" }, "json", context);
    const recorded = await db.auditEvent.findFirstOrThrow({ where: { action: "audit.exported" }, orderBy: { seq: "desc" } });
    expect(recorded.actorLabel).toBe("auditor@example.com");
    expect(JSON.parse(recorded.changes)).toMatchObject({ format: "json", filters: { actor: "p1@example.com", targetType: "Service" } });
    // Written after the export started: not part of it.
    await db.$transaction((tx) =>
      recordAudit(tx, { action: "service.updated", actor: { id: null, label: "p1@example.com" }, context, target: { type: "Service", id: "late" } }),
    );
    const events = JSON.parse(await read(file.stream)) as Array<{ seq: number; targetId: string }>;
    expect(events).toHaveLength(525);
    expect(events.every((e) => e.seq < recorded.seq)).toBe(true);
  });

  it("streams an empty but valid file when nothing matches", async () => {
    const csv = await startAuditExport(auditor, { from: new Date("2031-01-01T00:00Z") }, "csv", context);
    expect(await read(csv.stream)).toBe("seq,at,actorId,actorLabel,ip,userAgent,action,targetType,targetId,changes,prevHash,hash\r\n");
    const json = await startAuditExport(auditor, { action: "keys.rotated" }, "json", context);
    expect(JSON.parse(await read(json.stream))).toEqual([]);
  });

  it("links the download with the viewer's filter", () => {
    expect(auditExportHref({ action: "audit.exported", targetType: "User" }, "csv")).toBe(
      "/api/audit/export?action=audit.exported&targetType=User&format=csv",
    );
  });
});
