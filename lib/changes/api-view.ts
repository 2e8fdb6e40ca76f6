import { db } from "../db/client.ts";
import type { Role } from "../rbac/permissions.ts";
import { assertPermission } from "../rbac/assert.ts";
import { AppError } from "../errors.ts";
import type { TChangeQuery } from "./filters.ts";
import { changePage, retrospectiveDue, type ChangeListRow, type ChangePage } from "./list.ts";
import { formatChangeNumber, parseChangeNumber } from "./number.ts";

/**
 * What /api/v1/changes answers. Numbers are given as people and URLs say them (CHG-000123);
 * dates are ISO strings once serialised.
 */
export type ApiChangeSummary = Omit<ChangeListRow, "reference" | "number"> & { number: string };

function summary(row: ChangeListRow): ApiChangeSummary {
  const { reference, number: _n, ...rest } = row;
  return { ...rest, number: reference };
}

export const API_PAGE_SIZE = 50;
export const API_MAX_PAGE_SIZE = 200;

/** A page of the list for a pipeline: forward-only cursor. */
export async function apiChangeList(
  actor: { role: Role },
  query: TChangeQuery,
  cursor: string | undefined,
  limit = API_PAGE_SIZE,
): Promise<{ changes: ApiChangeSummary[]; nextCursor: string | null }> {
  assertPermission(actor, "change.read");
  const page: ChangePage = await changePage(query, { after: cursor }, Math.min(Math.max(1, limit), API_MAX_PAGE_SIZE));
  return { changes: page.changes.map(summary), nextCursor: page.next };
}

const NOT_FOUND = (s: string) => new AppError("not_found", `There is no change ${s}.`);

/**
 * One change as a pipeline needs it: content, window, status, stakeholders with their UAT
 * sign-off, the current checklist evidence (superseded rows left out) and the approval counts
 * (stale approvals, made before the content last changed, counted apart: they no longer count).
 */
export async function apiChangeDetail(actor: { role: Role }, numberText: string) {
  assertPermission(actor, "change.read");
  const number = parseChangeNumber(numberText);
  if (number === null) throw NOT_FOUND(`“${numberText.slice(0, 40)}”`);
  const c = await db.changeRequest.findUnique({
    where: { number },
    include: {
      service: { select: { id: true, name: true, environment: true } },
      requester: { select: { name: true, email: true } },
      stakeholders: { include: { user: { select: { name: true, email: true } } }, orderBy: { userId: "asc" } },
      evidence: {
        where: { supersededAt: null },
        orderBy: { recordedAt: "asc" },
        include: { recordedBy: { select: { email: true } }, file: { select: { fileName: true, contentType: true, size: true, sha256: true } } },
      },
      approvals: { select: { decision: true, staleAt: true } },
    },
  });
  if (!c) throw NOT_FOUND(formatChangeNumber(number));
  const current = c.approvals.filter((a) => a.staleAt === null);
  return {
    change: {
      id: c.id,
      number: formatChangeNumber(c.number),
      title: c.title,
      service: c.service,
      type: c.type,
      risk: c.risk,
      riskAssessment: c.riskAssessment,
      description: c.description,
      implementationPlan: c.implementationPlan,
      rollbackPlan: c.rollbackPlan,
      version: c.version,
      plannedStart: c.plannedStart,
      plannedEnd: c.plannedEnd,
      status: c.status,
      revision: c.revision,
      contentDigest: c.contentDigest,
      requester: c.requester,
      createdAt: c.createdAt,
      submittedAt: c.submittedAt,
      decidedAt: c.decidedAt,
      scheduledAt: c.scheduledAt,
      closedAt: c.closedAt,
      retrospectiveAt: c.retrospectiveAt,
      flags: { retrospectiveDue: retrospectiveDue(c) },
      stakeholders: c.stakeholders.map((s) => ({
        name: s.user.name,
        email: s.user.email,
        uat: s.uatResult
          ? { result: s.uatResult, notes: s.uatNotes, at: s.uatAt, current: s.uatDigest === c.contentDigest }
          : null,
      })),
      evidence: c.evidence.map((e) => ({
        item: e.item,
        result: e.result,
        summary: e.summary,
        link: e.link,
        verifiedAt: e.verifiedAt,
        recordedAt: e.recordedAt,
        recordedBy: e.recordedBy.email,
        source: e.source,
        file: e.file ? { name: e.file.fileName, contentType: e.file.contentType, size: e.file.size, sha256: e.file.sha256 } : null,
      })),
      approvals: {
        approved: current.filter((a) => a.decision === "APPROVED").length,
        rejected: current.filter((a) => a.decision === "REJECTED").length,
        stale: c.approvals.length - current.length,
      },
    },
  };
}
