import type { ChangeStatus } from "../db/generated/sqlite/enums.ts";
import type { CurrentUser } from "../auth/sessions.ts";
import { db, type Prisma } from "../db/client.ts";
import { can } from "../rbac/permissions.ts";
import { detectConflicts, type CalendarConflict, type Environment } from "./calendar.ts";
import { formatChangeNumber } from "./number.ts";
import { decisionEligibility, evaluatePolicy, STATUS_WORDS, uatState } from "./policy.ts";
import { linkTo, RETRO_DUE, retrospectiveDue } from "./service.ts";

/*
 * The dashboard's "what does the change process need from me": changes waiting on the signed-in
 * person's decision or UAT sign-off, their drafts and rejected changes, emergency changes owing a
 * retrospective (reviewers), plus what everyone should know: changes in the next days and freeze
 * windows. The rules are policy.ts's and service.ts's (decisionEligibility, uatState,
 * retrospectiveDue); this file only picks the candidates with bounded, indexed queries.
 */

export type Viewer = Pick<CurrentUser, "id" | "role">;

export type WaitingKind = "decision" | "uat" | "retrospective" | "rejected" | "draft";

export type QueueChange = {
  id: string;
  number: number;
  /** "CHG-000123" */
  reference: string;
  /** "/changes/CHG-000123" */
  href: string;
  title: string;
  status: ChangeStatus;
  type: "STANDARD" | "NORMAL" | "EMERGENCY";
  risk: "LOW" | "MEDIUM" | "HIGH";
  service: { name: string; environment: Environment };
  plannedStart: Date;
  plannedEnd: Date;
};

export type WaitingItem = QueueChange & {
  kind: WaitingKind;
  /** What is asked of the person, in words: "Your approval (medium risk, 1 of 2)". */
  reason: string;
  /** One more line of context, e.g. what else the change waits for, or why it was rejected. */
  detail: string;
};

export type UpcomingChange = QueueChange & { conflicts: CalendarConflict[] };

export type FreezeNotice = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  environment: Environment | null;
  reason: string;
  /** In force at the time the queue was read. */
  active: boolean;
};

export type WorkQueue = {
  /** Everything waiting on the person: decisions, UAT, retrospectives, rejected, drafts; soonest window first within each. */
  waiting: WaitingItem[];
  counts: Record<WaitingKind, number>;
  /** A candidate list hit its read limit: the counts are "at least". */
  capped: boolean;
  /** SCHEDULED and APPROVED changes whose window touches the next `upcomingDays` days. */
  upcoming: UpcomingChange[];
  /** Freeze windows in force or starting within `freezeDays` days, soonest first. */
  freezes: FreezeNotice[];
};

export const WORK_QUEUE_LIMITS = {
  /** Candidates read per list; a person with more than this waiting has a bigger problem than a dashboard. */
  perList: 50,
  upcoming: 20,
  freezes: 10,
  upcomingDays: 7,
  freezeDays: 14,
} as const;

const DAY_MS = 86_400_000;

type Status = NonNullable<Prisma.ChangeRequestCreateInput["status"]>;
const isStatus = (s: string): s is Status => s in STATUS_WORDS;

const UAT_OPEN: Status[] = ["SUBMITTED", "APPROVED", "SCHEDULED"];
const UPCOMING: Status[] = ["APPROVED", "SCHEDULED"];

const CHANGE_SELECT = {
  id: true,
  number: true,
  title: true,
  status: true,
  type: true,
  risk: true,
  plannedStart: true,
  plannedEnd: true,
  service: { select: { name: true, environment: true } },
} satisfies Prisma.ChangeRequestSelect;

type ChangeRow = Prisma.ChangeRequestGetPayload<{ select: typeof CHANGE_SELECT }>;

function toQueueChange(c: ChangeRow): QueueChange {
  return {
    id: c.id,
    number: c.number,
    reference: formatChangeNumber(c.number),
    href: linkTo(c.number),
    title: c.title,
    status: c.status,
    type: c.type,
    risk: c.risk,
    service: { name: c.service.name, environment: c.service.environment },
    plannedStart: c.plannedStart,
    plannedEnd: c.plannedEnd,
  };
}

const RISK_WORDS = { LOW: "low risk", MEDIUM: "medium risk", HIGH: "high risk" } as const;

const APPROVAL_INCLUDE = {
  approvals: {
    where: { staleAt: null },
    select: { userId: true, decision: true, staleAt: true, user: { select: { name: true, role: true } } },
  },
  stakeholders: {
    select: { userId: true, uatResult: true, uatDigest: true, user: { select: { name: true } } },
    orderBy: { userId: "asc" },
  },
} satisfies Prisma.ChangeRequestInclude;

/** SUBMITTED changes the person may approve now and has not yet approved. */
async function awaitingDecision(viewer: Viewer): Promise<{ items: WaitingItem[]; capped: boolean }> {
  if (!can(viewer.role, "change.approve")) return { items: [], capped: false };
  const rows = await db.changeRequest.findMany({
    where: {
      status: "SUBMITTED",
      requesterId: { not: viewer.id },
      approvals: { none: { userId: viewer.id, staleAt: null, decision: "APPROVED" } },
      // A stakeholder-role user decides only changes they are named on.
      ...(viewer.role === "STAKEHOLDER" ? { stakeholders: { some: { userId: viewer.id } } } : {}),
    },
    select: { ...CHANGE_SELECT, requesterId: true, contentDigest: true, ...APPROVAL_INCLUDE },
    orderBy: [{ plannedStart: "asc" }, { number: "asc" }],
    take: WORK_QUEUE_LIMITS.perList,
  });
  const items: WaitingItem[] = [];
  for (const c of rows) {
    const approvals = c.approvals;
    const eligible = decisionEligibility(viewer, c, approvals, c.stakeholders, "APPROVED");
    // Not eligible: e.g. a named stakeholder whose UAT is not passed yet (that is the UAT list's).
    if (!eligible.ok) continue;
    const policy = evaluatePolicy(c, approvals, c.stakeholders);
    const reason =
      c.type === "EMERGENCY"
        ? "Your approval (emergency change)"
        : `Your approval (${RISK_WORDS[c.risk]}, ${policy.approved} of ${policy.required})`;
    items.push({ ...toQueueChange(c), kind: "decision", reason, detail: policy.summary });
  }
  return { items, capped: rows.length === WORK_QUEUE_LIMITS.perList };
}

/** Changes naming the person as stakeholder whose UAT they have not signed off for the current content. */
async function awaitingUat(viewer: Viewer): Promise<{ items: WaitingItem[]; capped: boolean }> {
  if (!can(viewer.role, "change.uat_signoff")) return { items: [], capped: false };
  const rows = await db.changeStakeholder.findMany({
    where: { userId: viewer.id, change: { status: { in: UAT_OPEN } } },
    select: {
      uatResult: true,
      uatDigest: true,
      change: {
        select: {
          ...CHANGE_SELECT,
          contentDigest: true,
          approvals: { where: { userId: viewer.id, staleAt: null, decision: "APPROVED" }, select: { id: true } },
        },
      },
    },
    orderBy: { change: { plannedStart: "asc" } },
    take: WORK_QUEUE_LIMITS.perList,
  });
  const items: WaitingItem[] = [];
  for (const row of rows) {
    const c = row.change;
    const state = uatState(row, c.contentDigest);
    if (state === "PASSED" || state === "FAILED") continue;
    // Already approved this content: nothing more to sign (the service refuses a sign-off then).
    if (c.approvals.length > 0) continue;
    items.push({
      ...toQueueChange(c),
      kind: "uat",
      reason: state === "STALE" ? "Your UAT sign-off, again" : "Your UAT sign-off",
      detail:
        state === "STALE"
          ? "The change was edited after your last sign-off, so it no longer counts."
          : "Test it on staging and record passed or failed; your approval comes after a pass.",
    });
  }
  return { items, capped: rows.length === WORK_QUEUE_LIMITS.perList };
}

/** The person's own drafts and rejected changes: theirs to finish, rework or cancel. */
async function ownOpenWork(viewer: Viewer): Promise<{ drafts: WaitingItem[]; rejected: WaitingItem[]; capped: boolean }> {
  if (!can(viewer.role, "change.create")) return { drafts: [], rejected: [], capped: false };
  const rows = await db.changeRequest.findMany({
    where: { requesterId: viewer.id, status: { in: ["DRAFT", "REJECTED"] } },
    select: {
      ...CHANGE_SELECT,
      approvals: {
        where: { decision: "REJECTED" },
        select: { comment: true, user: { select: { name: true } } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: 1,
      },
    },
    orderBy: [{ createdAt: "desc" }],
    take: WORK_QUEUE_LIMITS.perList,
  });
  const drafts: WaitingItem[] = [];
  const rejected: WaitingItem[] = [];
  for (const c of rows) {
    if (c.status === "DRAFT") {
      drafts.push({ ...toQueueChange(c), kind: "draft", reason: "Your draft, not submitted yet", detail: "Complete it and submit it for approval." });
    } else {
      const r = c.approvals[0];
      rejected.push({
        ...toQueueChange(c),
        kind: "rejected",
        reason: "Your change was rejected",
        detail: r ? `${r.user.name}: ${r.comment}` : "Reopen it to rework it, or cancel it.",
      });
    }
  }
  const bySoonest = (a: WaitingItem, b: WaitingItem) => a.plannedStart.getTime() - b.plannedStart.getTime() || a.number - b.number;
  return { drafts: drafts.sort(bySoonest), rejected: rejected.sort(bySoonest), capped: rows.length === WORK_QUEUE_LIMITS.perList };
}

/** Emergency changes that still owe their retrospective review, for those who record it. */
async function retrospectivesDue(viewer: Viewer): Promise<{ items: WaitingItem[]; capped: boolean }> {
  if (!can(viewer.role, "change.review")) return { items: [], capped: false };
  const rows = await db.changeRequest.findMany({
    where: { type: "EMERGENCY", retrospectiveAt: null, status: { in: RETRO_DUE.filter(isStatus) } },
    select: { ...CHANGE_SELECT, retrospectiveAt: true },
    orderBy: [{ createdAt: "asc" }],
    take: WORK_QUEUE_LIMITS.perList,
  });
  const items = rows
    .filter((c) => retrospectiveDue(c))
    .map((c) => ({
      ...toQueueChange(c),
      kind: "retrospective" as const,
      reason: "Retrospective review due",
      detail: "Emergency change: record what happened and what to learn from it.",
    }));
  return { items, capped: rows.length === WORK_QUEUE_LIMITS.perList };
}

async function freezeNotices(now: Date): Promise<FreezeNotice[]> {
  const horizon = new Date(now.getTime() + WORK_QUEUE_LIMITS.freezeDays * DAY_MS);
  const rows = await db.freezeWindow.findMany({
    where: { cancelledAt: null, startsAt: { lt: horizon }, endsAt: { gt: now } },
    select: { id: true, startsAt: true, endsAt: true, environment: true, reason: true },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: WORK_QUEUE_LIMITS.freezes,
  });
  return rows.map((f) => ({ ...f, active: f.startsAt.getTime() <= now.getTime() }));
}

async function upcomingChanges(now: Date, freezes: readonly FreezeNotice[]): Promise<UpcomingChange[]> {
  const horizon = new Date(now.getTime() + WORK_QUEUE_LIMITS.upcomingDays * DAY_MS);
  const rows = await db.changeRequest.findMany({
    // Windows touching [now, horizon): running now, or starting before the horizon.
    where: { status: { in: UPCOMING }, plannedStart: { lt: horizon }, plannedEnd: { gt: now } },
    select: { ...CHANGE_SELECT, serviceId: true, freezeOverrideReason: true },
    orderBy: [{ plannedStart: "asc" }, { number: "asc" }],
    take: WORK_QUEUE_LIMITS.upcoming,
  });
  const conflicts = detectConflicts(
    rows.map((c) => ({
      id: c.id,
      number: formatChangeNumber(c.number),
      title: c.title,
      serviceId: c.serviceId,
      environment: c.service.environment,
      type: c.type,
      freezeOverrideReason: c.freezeOverrideReason,
      start: c.plannedStart,
      end: c.plannedEnd,
    })),
    freezes,
  );
  return rows.map((c) => ({ ...toQueueChange(c), conflicts: conflicts.get(c.id) ?? [] }));
}

/** What the change process needs from `viewer` now, and what is coming up. */
export async function workQueue(viewer: Viewer, now = new Date()): Promise<WorkQueue> {
  const readsChanges = can(viewer.role, "change.read");
  const [decision, uat, own, retro, freezes] = await Promise.all([
    awaitingDecision(viewer),
    awaitingUat(viewer),
    ownOpenWork(viewer),
    retrospectivesDue(viewer),
    readsChanges ? freezeNotices(now) : Promise.resolve([]),
  ]);
  const upcoming = readsChanges ? await upcomingChanges(now, freezes) : [];
  return {
    waiting: [...decision.items, ...uat.items, ...retro.items, ...own.rejected, ...own.drafts],
    counts: {
      decision: decision.items.length,
      uat: uat.items.length,
      retrospective: retro.items.length,
      rejected: own.rejected.length,
      draft: own.drafts.length,
    },
    capped: decision.capped || uat.capped || own.capped || retro.capped,
    upcoming,
    freezes,
  };
}
