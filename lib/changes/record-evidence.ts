import type { RequestContext } from "../audit/record.ts";
import { notify } from "../notifications/notify.ts";
import { assertPermission } from "../rbac/assert.ts";
import { EVIDENCE_LABELS } from "./digest.ts";
import { formatChangeNumber } from "./number.ts";
import { toDate, type TEvidenceBody, type TRecordEvidenceInput } from "./schemas.ts";
import { loadChange, mutateChange } from "./store.ts";
import {
  type ChangeActor,
  type ChangeRef,
  EVIDENCE_OPEN,
  linkTo,
  refOf,
  refuse,
  notAllowedInStatus,
  audit,
  names,
  refreshDigest,
} from "./shared.ts";

export type EvidenceResultRef = ChangeRef & { evidenceId: string; approvalsMadeStale: string[]; returnedToSubmitted: boolean };

/**
 * New checklist evidence supersedes the item's previous evidence (which stays, for the history).
 * `source`: "ui" or "api:<token prefix>". New evidence changes what approvers approved.
 */
export async function recordEvidence(
  actor: ChangeActor,
  input: TRecordEvidenceInput | (TEvidenceBody & { changeId: string }),
  context: RequestContext,
  source = "ui",
): Promise<EvidenceResultRef> {
  assertPermission(actor, "change.create");
  return mutateChange(input.changeId, undefined, async (tx, change) => {
    if (!EVIDENCE_OPEN.includes(change.status)) notAllowedInStatus(change, "checklist evidence can no longer be recorded.");
    let file: { id: string; fileName: string } | null = null;
    if (input.fileId) {
      file = await tx.evidenceFile.findFirst({ where: { id: input.fileId, changeId: change.id }, select: { id: true, fileName: true } });
      if (!file) refuse("That file is not attached to this change. Upload it first.", { fileId: "Choose a file uploaded to this change." });
    }
    const verifiedAt = input.verifiedAt ? toDate(input.verifiedAt, input.timezoneOffset) : null;
    if (verifiedAt && verifiedAt.getTime() > Date.now() + 60_000) {
      refuse("The backup time is in the future.", { verifiedAt: "The backup cannot have been taken in the future." });
    }
    const now = new Date();
    const superseded = await tx.changeEvidence.updateMany({
      where: { changeId: change.id, item: input.item, supersededAt: null },
      data: { supersededAt: now },
    });
    const evidence = await tx.changeEvidence.create({
      data: {
        changeId: change.id,
        item: input.item,
        result: input.result,
        summary: input.summary,
        link: input.link,
        fileId: file?.id ?? null,
        verifiedAt,
        recordedById: actor.id,
        source: source.slice(0, 191),
        recordedAt: now,
      },
      select: { id: true },
    });
    const restaled = await refreshDigest(tx, change, actor, now);
    const after = await loadChange(tx, change.id);
    if (actor.id !== change.requesterId) {
      await notify(tx, [change.requesterId], {
        kind: "change.evidence_recorded",
        title: `${EVIDENCE_LABELS[input.item]} ${input.result === "PASSED" ? "passed" : "failed"} on ${formatChangeNumber(change.number)}`,
        body: `${actor.name}${source !== "ui" ? ` (${source})` : ""} recorded it${input.summary ? `: ${input.summary}` : "."}`,
        link: linkTo(change.number),
      });
    }
    await audit(
      tx,
      "change.evidence_recorded",
      actor,
      context,
      change,
      {
        item: input.item,
        result: input.result,
        summary: input.summary,
        link: input.link,
        ...(file ? { file: file.fileName } : {}),
        ...(verifiedAt ? { verifiedAt: verifiedAt.toISOString() } : {}),
        source,
        supersedes: superseded.count > 0,
        ...(restaled.staleApprovers.length ? { approvalsMadeStale: names(restaled.staleApprovers) } : {}),
        ...(restaled.statusTo ? { status: { from: change.status, to: restaled.statusTo } } : {}),
      },
      source,
    );
    return {
      ...refOf(after),
      evidenceId: evidence.id,
      approvalsMadeStale: names(restaled.staleApprovers),
      returnedToSubmitted: restaled.statusTo === "SUBMITTED",
    };
  });
}
