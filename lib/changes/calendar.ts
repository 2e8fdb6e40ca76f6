import { db } from "../db/client.ts";
import { formatChangeNumber } from "./number.ts";

/*
 * The change calendar: change windows and freeze windows in a date range, and the conflicts among
 * them. Two kinds of conflict are flagged, on every change involved:
 *   - overlap: two changes to the same service whose windows overlap (touching, end == start, is not
 *     an overlap: one change hands over to the next);
 *   - freeze: a change whose window overlaps a freeze window (not cancelled) that applies to its
 *     service's environment (a freeze with no environment applies to all).
 * Only what overlaps the visible range is read: plannedStart < to AND plannedEnd > from, served by
 * the plannedStart/plannedEnd indexes, so a month costs the same with 100 or 100,000 changes in total.
 *
 * Calendar maths is done in UTC with plain Date.UTC arithmetic rather than date-fns: date-fns works
 * in the server's local zone (startOfMonth, startOfWeek, addDays all use local getters), which would
 * move day boundaries with the host's TZ and DST. In UTC a day is always 86,400,000 ms.
 */

export const CALENDAR_VIEWS = ["month", "week"] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

/** Cancelled and rejected changes hold no window: they would only be noise on the calendar. */
const HIDDEN_STATUSES = ["CANCELLED", "REJECTED"] as const;

/** A month grid has at most 42 days; this many changes in one view means something is off. */
const MAX_CHANGES = 2000;

const DAY_MS = 86_400_000;

export type Environment = "PRODUCTION" | "STAGING";

export type CalendarConflict =
  | { kind: "overlap"; number: string; title: string }
  | { kind: "freeze"; freezeId: string; reason: string; environment: Environment | null; overridden: boolean };

export type CalendarChange = {
  id: string;
  number: string;
  title: string;
  service: { id: string; name: string; environment: Environment };
  status: string;
  type: string;
  start: Date;
  end: Date;
  freezeOverrideReason: string;
  conflicts: CalendarConflict[];
};

export type CalendarFreeze = { id: string; startsAt: Date; endsAt: Date; environment: Environment | null; reason: string };

export type CalendarData = {
  from: Date;
  to: Date;
  changes: CalendarChange[];
  freezes: CalendarFreeze[];
  /** True when the range held more than MAX_CHANGES changes and only the first were read. */
  truncated: boolean;
};

// ---------------------------------------------------------------------------------------------
// UTC calendar maths

export function startOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export function addUtcDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

/** Monday 00:00 UTC of d's week (ISO weeks, as in Europe: Monday first). */
export function startOfUtcWeek(d: Date): Date {
  const day = startOfUtcDay(d);
  return addUtcDays(day, -((day.getUTCDay() + 6) % 7));
}

export function startOfUtcMonth(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

export function addUtcMonths(d: Date, months: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}

/** "2026-11-01" for a date, in UTC. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** "2026-11-01" -> that day 00:00 UTC; anything else (or an impossible date) -> null. */
export function parseIsoDay(s: string | undefined): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? "");
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && y >= 1970 && y <= 9999 ? date : null;
}

export type CalendarRange = {
  view: CalendarView;
  /** The day the view is anchored on (from ?date=). */
  anchor: Date;
  /** First and one-past-last day shown: whole weeks, Monday to Monday. */
  from: Date;
  to: Date;
  /** Anchors of the previous and next view, and of today's. */
  prev: Date;
  next: Date;
  today: Date;
  /** The days shown, in order (7 for a week, 28 to 42 for a month). */
  days: Date[];
};

/** What ?view=&date= ask for; a bad or missing value falls back to this month (or week). */
export function calendarRange(viewParam: string | undefined, dateParam: string | undefined, now = new Date()): CalendarRange {
  const view: CalendarView = viewParam === "week" ? "week" : "month";
  const today = startOfUtcDay(now);
  const anchor = parseIsoDay(dateParam) ?? today;
  let from: Date;
  let to: Date;
  let prev: Date;
  let next: Date;
  if (view === "month") {
    const first = startOfUtcMonth(anchor);
    const nextMonth = addUtcMonths(first, 1);
    from = startOfUtcWeek(first);
    to = startOfUtcWeek(addUtcDays(nextMonth, 6)); // the Monday on or after the 1st of next month
    prev = addUtcMonths(first, -1);
    next = nextMonth;
  } else {
    from = startOfUtcWeek(anchor);
    to = addUtcDays(from, 7);
    prev = addUtcDays(from, -7);
    next = to;
  }
  const days: Date[] = [];
  for (let d = from; d < to; d = addUtcDays(d, 1)) days.push(d);
  return { view, anchor, from, to, prev, next, today, days };
}

// ---------------------------------------------------------------------------------------------
// Conflicts (pure, so they are tested without a database)

type ConflictInput = {
  id: string;
  number: string;
  title: string;
  serviceId: string;
  environment: Environment;
  type: string;
  freezeOverrideReason: string;
  start: Date;
  end: Date;
};

/** Conflicts of each change, by change id (changes without any are absent). */
export function detectConflicts(changes: readonly ConflictInput[], freezes: readonly CalendarFreeze[]): Map<string, CalendarConflict[]> {
  const out = new Map<string, CalendarConflict[]>();
  const add = (id: string, c: CalendarConflict) => {
    const list = out.get(id);
    if (list) list.push(c);
    else out.set(id, [c]);
  };

  // Same service, overlapping windows: sweep each service's changes in start order, keeping those
  // still open. Half-open windows [start, end): end == start of the next is no overlap.
  const byService = new Map<string, ConflictInput[]>();
  for (const c of changes) {
    const list = byService.get(c.serviceId);
    if (list) list.push(c);
    else byService.set(c.serviceId, [c]);
  }
  for (const list of byService.values()) {
    list.sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime());
    let open: ConflictInput[] = [];
    for (const c of list) {
      open = open.filter((o) => o.end.getTime() > c.start.getTime());
      for (const o of open) {
        add(o.id, { kind: "overlap", number: c.number, title: c.title });
        add(c.id, { kind: "overlap", number: o.number, title: o.title });
      }
      open.push(c);
    }
  }

  // Freezes: few per range, so each change is checked against each.
  for (const c of changes) {
    for (const f of freezes) {
      const applies = f.environment === null || f.environment === c.environment;
      const overlaps = c.start.getTime() < f.endsAt.getTime() && c.end.getTime() > f.startsAt.getTime();
      if (!applies || !overlaps) continue;
      const overridden = c.type === "EMERGENCY" && c.freezeOverrideReason.trim() !== "";
      add(c.id, { kind: "freeze", freezeId: f.id, reason: f.reason, environment: f.environment, overridden });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The query

/** Changes and freezes overlapping [from, to), with conflicts marked. */
export async function getCalendar(from: Date, to: Date): Promise<CalendarData> {
  const [rows, freezes] = await Promise.all([
    db.changeRequest.findMany({
      where: { plannedStart: { lt: to }, plannedEnd: { gt: from }, status: { notIn: [...HIDDEN_STATUSES] } },
      select: {
        id: true,
        number: true,
        title: true,
        status: true,
        type: true,
        plannedStart: true,
        plannedEnd: true,
        freezeOverrideReason: true,
        service: { select: { id: true, name: true, environment: true } },
      },
      orderBy: [{ plannedStart: "asc" }, { number: "asc" }],
      take: MAX_CHANGES + 1,
    }),
    db.freezeWindow.findMany({
      where: { cancelledAt: null, startsAt: { lt: to }, endsAt: { gt: from } },
      select: { id: true, startsAt: true, endsAt: true, environment: true, reason: true },
      orderBy: { startsAt: "asc" },
    }),
  ]);
  const truncated = rows.length > MAX_CHANGES;
  const shown = rows.slice(0, MAX_CHANGES).map((r) => ({
    id: r.id,
    number: formatChangeNumber(r.number),
    title: r.title,
    service: r.service,
    serviceId: r.service.id,
    environment: r.service.environment,
    status: r.status,
    type: r.type,
    start: r.plannedStart,
    end: r.plannedEnd,
    freezeOverrideReason: r.freezeOverrideReason,
  }));
  const conflicts = detectConflicts(shown, freezes);
  return {
    from,
    to,
    freezes,
    truncated,
    changes: shown.map((c) => ({
      id: c.id,
      number: c.number,
      title: c.title,
      service: c.service,
      status: c.status,
      type: c.type,
      start: c.start,
      end: c.end,
      freezeOverrideReason: c.freezeOverrideReason,
      conflicts: conflicts.get(c.id) ?? [],
    })),
  };
}
