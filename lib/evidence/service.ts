import { recordAudit, type AuditActor, type RequestContext } from "../audit/record.ts";
import { formatChangeNumber } from "../changes/number.ts";
import { db, Prisma } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { logger } from "../observability/logger.ts";
import { assertPermission } from "../rbac/assert.ts";
import type { Role } from "../rbac/permissions.ts";
import { downloadContentType } from "./file-types.ts";
import { deleteStoredFile, openStoredFile, storeFile, type FileSource } from "./storage.ts";

/*
 * Evidence files of a change: upload (disk first, then the row and its audit event in one
 * transaction; the file is removed again if that transaction fails, so nothing is orphaned) and
 * download (change.read, the file must belong to the change named in the URL; every download is
 * audited, as the standards' "access logging" asks).
 */

type Tx = Prisma.TransactionClient;

/** Who acts: a signed-in user, or an API token's user (`via` names the token in the audit label). */
export type EvidenceActor = { id: string; email: string; role: Role; via?: string };

/** A change by its id, or by the number people use (CHG-000123 -> 123). */
export type ChangeRef = { id: string } | { number: number };

export type UploadedEvidenceFile = { id: string; fileName: string; size: number; sha256: string; contentType: string };

/** Statuses after which a change's record is final: no new files. */
const FINAL_STATUSES = new Set(["CLOSED", "CANCELLED"]);

function actorOf(actor: EvidenceActor): AuditActor {
  return { id: actor.id, label: actor.via ? `${actor.email} (${actor.via})` : actor.email };
}

async function findChange(tx: Tx, ref: ChangeRef) {
  const change = await tx.changeRequest.findUnique({
    where: "id" in ref ? { id: ref.id } : { number: ref.number },
    select: { id: true, number: true, status: true },
  });
  if (!change) throw new AppError("not_found", "That change does not exist.");
  return change;
}

function assertOpen(change: { number: number; status: string }): void {
  if (FINAL_STATUSES.has(change.status)) {
    throw new AppError(
      "conflict",
      `${formatChangeNumber(change.number)} is ${change.status.toLowerCase()}; its evidence can no longer change.`,
    );
  }
}

/**
 * Stores an uploaded evidence file for a change. Needs change.create (the people who record
 * evidence); the change must exist and be neither closed nor cancelled. Size and type rules are
 * lib/evidence/storage.ts's. Returns the file's id, which evidence can then reference.
 */
export async function storeEvidenceFile(
  actor: EvidenceActor,
  ref: ChangeRef,
  upload: { file: FileSource; name: string },
  context: RequestContext,
): Promise<UploadedEvidenceFile> {
  assertPermission(actor, "change.create");
  assertOpen(await findChange(db, ref)); // refuse before writing anything to disk
  const stored = await storeFile(upload.file, upload.name);
  try {
    return await db.$transaction(async (tx) => {
      const change = await findChange(tx, ref);
      assertOpen(change);
      const row = await tx.evidenceFile.create({
        data: { changeId: change.id, uploadedById: actor.id, ...stored },
        select: { id: true, fileName: true, size: true, sha256: true, contentType: true },
      });
      await recordAudit(tx, {
        action: "change.file_uploaded",
        actor: actorOf(actor),
        context,
        target: { type: "ChangeRequest", id: change.id },
        changes: { fileId: row.id, fileName: row.fileName, size: row.size, sha256: row.sha256, contentType: row.contentType },
      });
      return row;
    });
  } catch (err) {
    await deleteStoredFile(stored.storageKey).catch((cleanupErr: unknown) =>
      logger.error({ err: cleanupErr, storageKey: stored.storageKey }, "could not remove an evidence file whose row was not written"),
    );
    throw err;
  }
}

export type EvidenceDownload = {
  stream: ReadableStream<Uint8Array>;
  fileName: string;
  /** What to send as Content-Type: the stored type only when it is safe to name. */
  contentType: string;
  size: number;
  sha256: string;
};

/**
 * Opens an evidence file of a change for download. Needs change.read; a file of another change is
 * "not found", as is one missing on disk. The download is audited before the bytes are sent.
 */
export async function openEvidenceFile(
  actor: EvidenceActor,
  ref: ChangeRef,
  fileId: string,
  context: RequestContext,
): Promise<EvidenceDownload> {
  assertPermission(actor, "change.read");
  const change = await findChange(db, ref);
  const file = await db.evidenceFile.findFirst({
    where: { id: fileId, changeId: change.id },
    select: { id: true, fileName: true, contentType: true, size: true, sha256: true, storageKey: true },
  });
  if (!file) throw new AppError("not_found", `${formatChangeNumber(change.number)} has no such file.`);
  const opened = await openStoredFile(file.storageKey);
  try {
    await db.$transaction((tx) =>
      recordAudit(tx, {
        action: "change.file_downloaded",
        actor: actorOf(actor),
        context,
        target: { type: "ChangeRequest", id: change.id },
        changes: { fileId: file.id, fileName: file.fileName, sha256: file.sha256 },
      }),
    );
  } catch (err) {
    await opened.stream.cancel();
    throw err;
  }
  return {
    stream: opened.stream,
    fileName: file.fileName,
    contentType: downloadContentType(file.contentType),
    size: opened.size,
    sha256: file.sha256,
  };
}

/** The files uploaded to a change, newest first, for the change page's evidence section. */
export async function evidenceFilesOf(changeId: string) {
  return db.evidenceFile.findMany({
    where: { changeId },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      fileName: true,
      contentType: true,
      size: true,
      sha256: true,
      createdAt: true,
      uploadedBy: { select: { name: true, email: true } },
    },
  });
}
