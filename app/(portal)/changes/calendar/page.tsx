import type { Metadata } from "next";
import { CalendarLegend, CalendarToolbar, ConflictList, MonthView, WeekView } from "@/components/changes/change-calendar";
import { ChangesTabs } from "@/components/changes/changes-tabs";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import { calendarRange, getCalendar } from "@/lib/changes/calendar";

export const metadata: Metadata = { title: "Change calendar" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** ?view=month|week&date=YYYY-MM-DD; the URL is the state, so a view can be shared or bookmarked. */
export default async function ChangeCalendarPage({ searchParams }: Props) {
  await requirePermission("change.read");
  const params = await searchParams;
  const range = calendarRange(one(params.view), one(params.date));
  const data = await getCalendar(range.from, range.to);
  return (
    <>
      <PageHeader
        title="Change calendar"
        description="Change windows and freeze windows. Overlapping changes on one service, and changes inside a freeze, are flagged. All times in UTC."
      />
      <ChangesTabs />
      <CalendarToolbar range={range} />
      <div className="space-y-6">
        {data.truncated ? (
          <Alert tone="info">This view holds more changes than the calendar can draw; only the first 2,000 are shown. Use the week view.</Alert>
        ) : null}
        {range.view === "month" ? <MonthView range={range} data={data} /> : <WeekView range={range} data={data} />}
        <div className="grid gap-6 lg:grid-cols-2">
          <ConflictList data={data} />
          <CalendarLegend />
        </div>
      </div>
    </>
  );
}
