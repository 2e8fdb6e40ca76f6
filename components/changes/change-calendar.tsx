import { AlertTriangle, CheckCircle2, ChevronLeft, ChevronRight, Snowflake } from "lucide-react";
import Link from "next/link";
import type { CalendarChange, CalendarConflict, CalendarData, CalendarFreeze, CalendarRange } from "@/lib/changes/calendar";
import { addUtcDays, isoDay } from "@/lib/changes/calendar";

/*
 * The change calendar, rendered on the server. Times are shown in UTC and labelled so: the server
 * does not know the browser's time zone when it renders, and converting on the client would make
 * the server's HTML and the hydrated page disagree (and flicker). UTC is also what the audit trail
 * and every other screen of the portal show, so a window reads the same everywhere.
 */

const STATUS_STYLE: Record<string, { label: string; chip: string; dot: string }> = {
  DRAFT: { label: "Draft", chip: "bg-slate-100 text-slate-800 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600", dot: "bg-slate-400" },
  SUBMITTED: { label: "Submitted", chip: "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-500/15 dark:text-amber-200 dark:ring-amber-500/40", dot: "bg-amber-500" },
  APPROVED: { label: "Approved", chip: "bg-emerald-50 text-emerald-900 ring-emerald-300 dark:bg-emerald-500/15 dark:text-emerald-200 dark:ring-emerald-500/40", dot: "bg-emerald-500" },
  SCHEDULED: { label: "Scheduled", chip: "bg-indigo-50 text-indigo-900 ring-indigo-300 dark:bg-indigo-500/20 dark:text-indigo-200 dark:ring-indigo-400/40", dot: "bg-indigo-500" },
  DEPLOYING: { label: "Deploying", chip: "bg-violet-50 text-violet-900 ring-violet-300 dark:bg-violet-500/20 dark:text-violet-200 dark:ring-violet-400/40", dot: "bg-violet-500" },
  DEPLOYED: { label: "Deployed", chip: "bg-teal-50 text-teal-900 ring-teal-300 dark:bg-teal-500/15 dark:text-teal-200 dark:ring-teal-500/40", dot: "bg-teal-500" },
  ROLLED_BACK: { label: "Rolled back", chip: "bg-orange-50 text-orange-900 ring-orange-300 dark:bg-orange-500/15 dark:text-orange-200 dark:ring-orange-500/40", dot: "bg-orange-500" },
  FAILED: { label: "Failed", chip: "bg-rose-50 text-rose-900 ring-rose-300 dark:bg-rose-500/15 dark:text-rose-200 dark:ring-rose-500/40", dot: "bg-rose-500" },
  CLOSED: { label: "Closed", chip: "bg-zinc-100 text-zinc-600 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-400 dark:ring-zinc-600", dot: "bg-zinc-400" },
};
const FALLBACK_STYLE = STATUS_STYLE.DRAFT!;

function statusStyle(status: string) {
  return STATUS_STYLE[status] ?? FALLBACK_STYLE;
}

/** Diagonal hatching: a freeze reads as "blocked" without relying on colour alone (it also says "Freeze"). */
const FREEZE_HATCH =
  "bg-[repeating-linear-gradient(135deg,rgba(14,165,233,0.13)_0_6px,transparent_6px_12px)] dark:bg-[repeating-linear-gradient(135deg,rgba(56,189,248,0.16)_0_6px,transparent_6px_12px)]";

const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });
const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const weekday = new Intl.DateTimeFormat("en-GB", { weekday: "short", timeZone: "UTC" });
const longDay = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const monthYear = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function overlapsDay(start: Date, end: Date, day: Date): boolean {
  return start < addUtcDays(day, 1) && end > day;
}

function envLabel(environment: CalendarFreeze["environment"]): string {
  return environment === "PRODUCTION" ? "production" : environment === "STAGING" ? "staging" : "all environments";
}

export function conflictText(c: CalendarConflict): string {
  if (c.kind === "overlap") return `Overlaps ${c.number} (${c.title}) on the same service`;
  return c.overridden
    ? `In a freeze window (${envLabel(c.environment)}: ${c.reason}); emergency override given`
    : `In a freeze window (${envLabel(c.environment)}: ${c.reason})`;
}

/**
 * "14:00–16:00" inside a day's cell for a window within that day; "3 Nov, 14:00–16:00" with no day
 * given; both dates when the window spans days. The end is exclusive, so 22:00–00:00 is one day.
 */
function windowLabel(change: { start: Date; end: Date }, day?: Date): string {
  const startDay = isoDay(change.start);
  const sameDay = startDay === isoDay(new Date(change.end.getTime() - 1));
  const hours = `${time.format(change.start)}–${time.format(change.end)}`;
  if (sameDay && day) return isoDay(day) === startDay ? hours : `${dayMonth.format(change.start)}, ${hours}`;
  if (sameDay) return `${dayMonth.format(change.start)}, ${hours}`;
  return `${dateTime.format(change.start)} – ${dateTime.format(change.end)}`;
}

function calendarHref(view: string, date: Date): string {
  return `/changes/calendar?view=${view}&date=${isoDay(date)}`;
}

// ---------------------------------------------------------------------------------------------

const NAV_LINK =
  "inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800";

export function CalendarToolbar({ range }: { range: CalendarRange }) {
  const title =
    range.view === "month"
      ? monthYear.format(range.anchor)
      : `${dayMonth.format(range.from)} – ${dayMonth.format(addUtcDays(range.to, -1))} ${range.from.getUTCFullYear()}`;
  const todayAnchor = range.today;
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label="Calendar dates" className="flex items-center gap-2">
          <Link href={calendarHref(range.view, range.prev)} className={NAV_LINK} aria-label={range.view === "month" ? "Previous month" : "Previous week"}>
            <ChevronLeft aria-hidden="true" className="h-4 w-4" />
            Previous
          </Link>
          <Link href={calendarHref(range.view, todayAnchor)} className={NAV_LINK}>
            Today
          </Link>
          <Link href={calendarHref(range.view, range.next)} className={NAV_LINK} aria-label={range.view === "month" ? "Next month" : "Next week"}>
            Next
            <ChevronRight aria-hidden="true" className="h-4 w-4" />
          </Link>
        </nav>
        <h2 className="ml-2 text-lg font-semibold" aria-live="polite">
          {title} <span className="text-sm font-normal text-slate-500 dark:text-slate-400">(times in UTC)</span>
        </h2>
      </div>
      <nav aria-label="Calendar view" className="inline-flex rounded-md shadow-sm">
        {(["month", "week"] as const).map((v, i) => {
          const current = range.view === v;
          return (
            <Link
              key={v}
              href={calendarHref(v, range.view === "month" && v === "week" ? firstWeekAnchor(range) : range.anchor)}
              aria-current={current ? "page" : undefined}
              className={`border px-3 py-1.5 text-sm font-medium focus-visible:z-10 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 ${
                i === 0 ? "rounded-l-md" : "-ml-px rounded-r-md"
              } ${
                current
                  ? "border-indigo-600 bg-indigo-600 text-white dark:border-indigo-500 dark:bg-indigo-500"
                  : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
              }`}
            >
              {v === "month" ? "Month" : "Week"}
            </Link>
          );
        })}
      </nav>
    </div>
  );
}

/** Switching from a month to the week view shows this week if today is in that month, else its first week. */
function firstWeekAnchor(range: CalendarRange): Date {
  const sameMonth = range.today.getUTCFullYear() === range.anchor.getUTCFullYear() && range.today.getUTCMonth() === range.anchor.getUTCMonth();
  return sameMonth ? range.today : new Date(Date.UTC(range.anchor.getUTCFullYear(), range.anchor.getUTCMonth(), 1));
}

// ---------------------------------------------------------------------------------------------

function ConflictMark({ change }: { change: CalendarChange }) {
  if (!change.conflicts.length) return null;
  return (
    <span className="inline-flex shrink-0 items-center gap-0.5 font-semibold text-red-700 dark:text-red-300">
      <AlertTriangle aria-hidden="true" className="h-3.5 w-3.5" />
      Conflict
    </span>
  );
}

function chipLabel(change: CalendarChange, day?: Date): string {
  const parts = [
    `${change.number}: ${change.title}`,
    `${change.service.name} (${change.service.environment.toLowerCase()})`,
    statusStyle(change.status).label,
    `${windowLabel(change, day)} UTC`,
  ];
  for (const c of change.conflicts) parts.push(`Conflict: ${conflictText(c)}`);
  return parts.join(". ");
}

function ChangeChip({ change, day }: { change: CalendarChange; day: Date }) {
  const style = statusStyle(change.status);
  const conflict = change.conflicts.length > 0;
  return (
    <Link
      href={`/changes/${change.number}`}
      title={chipLabel(change, day)}
      aria-label={chipLabel(change, day)}
      className={`flex min-w-0 items-center gap-1 rounded px-1.5 py-0.5 text-xs ring-1 ring-inset hover:brightness-95 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-500 dark:hover:brightness-125 ${style.chip} ${
        conflict ? "ring-2 ring-red-500 dark:ring-red-400" : ""
      }`}
    >
      <span className="shrink-0 tabular-nums">{isoDay(change.start) === isoDay(day) ? time.format(change.start) : "…"}</span>
      <span className="truncate font-medium">{change.service.name}</span>
      {conflict ? <AlertTriangle aria-hidden="true" className="ml-auto h-3.5 w-3.5 shrink-0 text-red-600 dark:text-red-300" /> : null}
    </Link>
  );
}

function FreezeChip({ freeze, compact }: { freeze: CalendarFreeze; compact?: boolean }) {
  const label = `Freeze, ${envLabel(freeze.environment)}: ${freeze.reason}. ${dateTime.format(freeze.startsAt)} – ${dateTime.format(freeze.endsAt)} UTC`;
  return (
    <Link
      href="/changes/freeze-windows"
      title={label}
      aria-label={label}
      className="flex min-w-0 items-start gap-1 rounded border border-dashed border-sky-500 bg-sky-50 px-1.5 py-0.5 text-xs font-medium text-sky-900 hover:bg-sky-100 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-500 dark:border-sky-400 dark:bg-sky-500/15 dark:text-sky-100 dark:hover:bg-sky-500/25"
    >
      <Snowflake aria-hidden="true" className="mt-px h-3.5 w-3.5 shrink-0" />
      {/* In a month cell only the word fits; in a week column the reason wraps and is read in full. */}
      <span className={compact ? "truncate" : "min-w-0 break-words"}>
        Freeze{freeze.environment ? ` (${freeze.environment === "PRODUCTION" ? "prod" : "staging"})` : ""}
        {compact ? "" : `: ${freeze.reason}`}
      </span>
    </Link>
  );
}

const MAX_CHIPS = 4;

export function MonthView({ range, data }: { range: CalendarRange; data: CalendarData }) {
  const weeks: Date[][] = [];
  for (let i = 0; i < range.days.length; i += 7) weeks.push(range.days.slice(i, i + 7));
  const month = range.anchor.getUTCMonth();
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full min-w-[56rem] table-fixed border-collapse text-sm">
        <caption className="sr-only">Change calendar for {monthYear.format(range.anchor)}, times in UTC</caption>
        <thead>
          <tr className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-800/50 dark:text-slate-400">
            {weeks[0]?.map((d) => (
              <th key={isoDay(d)} scope="col" className="px-2 py-2 text-left font-medium">
                {weekday.format(d)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={isoDay(week[0]!)} className="border-b border-slate-200 last:border-b-0 dark:border-slate-800">
              {week.map((day) => (
                <MonthDay key={isoDay(day)} day={day} inMonth={day.getUTCMonth() === month} isToday={isoDay(day) === isoDay(range.today)} data={data} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MonthDay({ day, inMonth, isToday, data }: { day: Date; inMonth: boolean; isToday: boolean; data: CalendarData }) {
  const freezes = data.freezes.filter((f) => overlapsDay(f.startsAt, f.endsAt, day));
  const changes = data.changes.filter((c) => overlapsDay(c.start, c.end, day));
  const shown = changes.slice(0, MAX_CHIPS);
  const hidden = changes.length - shown.length;
  const conflicted = changes.filter((c) => c.conflicts.length).length;
  return (
    <td
      aria-label={`${longDay.format(day)}${isToday ? " (today)" : ""}: ${changes.length} change${changes.length === 1 ? "" : "s"}${freezes.length ? ", freeze in force" : ""}`}
      className={`h-32 border-r border-slate-200 p-1.5 align-top last:border-r-0 dark:border-slate-800 ${freezes.length ? FREEZE_HATCH : ""} ${
        inMonth ? "" : "bg-slate-50/70 dark:bg-slate-950/40"
      }`}
    >
      <div className="mb-1 flex items-center justify-between">
        <span
          className={`inline-flex h-6 min-w-6 items-center justify-center rounded-full px-1 text-xs tabular-nums ${
            isToday
              ? "bg-indigo-600 font-semibold text-white dark:bg-indigo-500"
              : inMonth
                ? "font-medium text-slate-700 dark:text-slate-200"
                : "text-slate-400 dark:text-slate-500"
          }`}
        >
          {day.getUTCDate() === 1 || !inMonth ? dayMonth.format(day) : day.getUTCDate()}
        </span>
        {isToday ? <span className="text-[0.65rem] font-semibold uppercase tracking-wide text-indigo-700 dark:text-indigo-300">Today</span> : null}
      </div>
      <ul className="space-y-1">
        {freezes.map((f) => (
          <li key={f.id}>
            <FreezeChip freeze={f} compact />
          </li>
        ))}
        {shown.map((c) => (
          <li key={c.id}>
            <ChangeChip change={c} day={day} />
          </li>
        ))}
        {conflicted > 0 ? (
          <li>
            <a
              href="#conflicts-heading"
              className="flex items-center gap-1 px-1 text-xs font-semibold text-red-700 hover:underline dark:text-red-300"
            >
              <AlertTriangle aria-hidden="true" className="h-3.5 w-3.5 shrink-0" />
              {conflicted} in conflict
            </a>
          </li>
        ) : null}
        {hidden > 0 ? (
          <li>
            <Link
              href={calendarHref("week", day)}
              className="block px-1.5 text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            >
              +{hidden} more <span className="sr-only">on {longDay.format(day)}</span>
            </Link>
          </li>
        ) : null}
      </ul>
    </td>
  );
}

export function WeekView({ range, data }: { range: CalendarRange; data: CalendarData }) {
  return (
    <div className="grid gap-3 md:grid-cols-7">
      {range.days.map((day) => {
        const freezes = data.freezes.filter((f) => overlapsDay(f.startsAt, f.endsAt, day));
        const changes = data.changes.filter((c) => overlapsDay(c.start, c.end, day));
        const isToday = isoDay(day) === isoDay(range.today);
        return (
          <section
            key={isoDay(day)}
            aria-label={`${longDay.format(day)}${isToday ? " (today)" : ""}`}
            className={`flex min-h-48 flex-col rounded-xl border bg-white shadow-sm dark:bg-slate-900 ${
              isToday ? "border-indigo-400 ring-1 ring-indigo-400 dark:border-indigo-500 dark:ring-indigo-500" : "border-slate-200 dark:border-slate-800"
            }`}
          >
            <h3 className="flex items-baseline justify-between border-b border-slate-200 px-2.5 py-2 text-sm font-semibold dark:border-slate-800">
              <span>
                {weekday.format(day)} <span className="tabular-nums">{dayMonth.format(day)}</span>
              </span>
              {isToday ? <span className="text-xs font-semibold uppercase text-indigo-700 dark:text-indigo-300">Today</span> : null}
            </h3>
            <ol className={`flex-1 space-y-2 p-2 ${freezes.length ? FREEZE_HATCH : ""}`}>
              {freezes.map((f) => (
                <li key={f.id}>
                  <FreezeChip freeze={f} />
                </li>
              ))}
              {changes.map((c) => (
                <li key={c.id}>
                  <WeekEntry change={c} day={day} />
                </li>
              ))}
              {!changes.length && !freezes.length ? <li className="px-1 text-xs text-slate-400 dark:text-slate-500">No changes</li> : null}
            </ol>
          </section>
        );
      })}
    </div>
  );
}

function WeekEntry({ change, day }: { change: CalendarChange; day: Date }) {
  const style = statusStyle(change.status);
  return (
    <Link
      href={`/changes/${change.number}`}
      aria-label={chipLabel(change, day)}
      className={`block rounded-md px-2 py-1.5 text-xs ring-1 ring-inset hover:brightness-95 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-500 dark:hover:brightness-125 ${style.chip} ${
        change.conflicts.length ? "ring-2 ring-red-500 dark:ring-red-400" : ""
      }`}
    >
      <span className="block font-semibold tabular-nums">{windowLabel(change, day)}</span>
      <span className="block font-mono text-[0.7rem]">{change.number}</span>
      <span className="block font-medium">{change.title}</span>
      <span className="block opacity-80">
        {change.service.name} · {change.service.environment === "PRODUCTION" ? "production" : "staging"}
      </span>
      <span className="mt-0.5 flex flex-wrap items-center gap-x-2">
        <span className="inline-flex items-center gap-1">
          <span aria-hidden="true" className={`h-2 w-2 rounded-full ${style.dot}`} />
          {style.label}
          {change.type === "EMERGENCY" ? " · Emergency" : ""}
        </span>
        <ConflictMark change={change} />
      </span>
    </Link>
  );
}

/** Every conflict in the view, spelled out: the calendar's icons point here. */
export function ConflictList({ data }: { data: CalendarData }) {
  const conflicted = data.changes.filter((c) => c.conflicts.length);
  return (
    <section aria-labelledby="conflicts-heading" className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h2 id="conflicts-heading" className="flex items-center gap-2 border-b border-slate-200 px-4 py-3 text-sm font-semibold dark:border-slate-800">
        {conflicted.length ? (
          <AlertTriangle aria-hidden="true" className="h-4 w-4 text-red-600 dark:text-red-400" />
        ) : (
          <CheckCircle2 aria-hidden="true" className="h-4 w-4 text-emerald-600 dark:text-emerald-400" />
        )}
        Conflicts in this view ({conflicted.length})
      </h2>
      {conflicted.length ? (
        <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
          {conflicted.map((c) => (
            <li key={c.id} className="px-4 py-2.5">
              <Link href={`/changes/${c.number}`} className="font-mono font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                {c.number}
              </Link>{" "}
              <span className="font-medium">{c.title}</span>{" "}
              <span className="text-slate-500 dark:text-slate-400">
                ({c.service.name}, {windowLabel(c)} UTC)
              </span>
              <ul className="mt-1 space-y-0.5">
                {c.conflicts.map((k, i) => (
                  <li key={i} className="flex items-start gap-1.5 text-red-800 dark:text-red-200">
                    <AlertTriangle aria-hidden="true" className="mt-0.5 h-3.5 w-3.5 shrink-0" />
                    <span>Conflict: {conflictText(k)}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-4 py-3 text-sm text-slate-500 dark:text-slate-400">No conflicts: no overlapping changes on one service, and nothing inside a freeze.</p>
      )}
    </section>
  );
}

export function CalendarLegend() {
  const shown = ["DRAFT", "SUBMITTED", "APPROVED", "SCHEDULED", "DEPLOYING", "DEPLOYED", "ROLLED_BACK", "FAILED", "CLOSED"];
  return (
    <section aria-labelledby="legend-heading" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h2 id="legend-heading" className="mb-2 text-sm font-semibold">
        Legend
      </h2>
      <ul className="flex flex-wrap gap-2 text-xs">
        {shown.map((s) => (
          <li key={s} className={`rounded px-1.5 py-0.5 ring-1 ring-inset ${statusStyle(s).chip}`}>
            {statusStyle(s).label}
          </li>
        ))}
        <li className={`flex items-center gap-1 rounded border border-dashed border-sky-500 px-1.5 py-0.5 text-sky-900 dark:border-sky-400 dark:text-sky-100 ${FREEZE_HATCH}`}>
          <Snowflake aria-hidden="true" className="h-3.5 w-3.5" />
          Freeze window (hatched days)
        </li>
        <li className="flex items-center gap-1 rounded px-1.5 py-0.5 font-semibold text-red-700 ring-2 ring-inset ring-red-500 dark:text-red-300 dark:ring-red-400">
          <AlertTriangle aria-hidden="true" className="h-3.5 w-3.5" />
          Conflict (same service overlapping, or inside a freeze)
        </li>
      </ul>
      <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
        Chips show the start time (UTC) and the service; open one for the change. Cancelled and rejected changes are not shown.
      </p>
    </section>
  );
}
