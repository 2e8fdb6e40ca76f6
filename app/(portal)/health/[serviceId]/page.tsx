import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ServiceAvailability } from "@/components/health/service-availability";
import { requirePermission } from "@/lib/auth/guards";
import { serviceHealthEvents, serviceHealthSeries, ZServiceSeriesQuery } from "@/lib/health/service-health";
import { can } from "@/lib/rbac/permissions";

export const metadata: Metadata = { title: "Availability" };

type Props = { params: Promise<{ serviceId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };
const first = (v: string | string[] | undefined) => [v].flat()[0];

/** A service's Availability tab; the first render carries the data, the client refetches on changes. */
export default async function ServiceAvailabilityPage({ params, searchParams }: Props) {
  const user = await requirePermission("health.read");
  const { serviceId } = await params;
  const sp = await searchParams;
  const raw = { range: first(sp.range) ?? "24h", from: first(sp.from), to: first(sp.to), check: first(sp.check) };
  const parsed = ZServiceSeriesQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : ZServiceSeriesQuery.parse({ range: "24h" });
  const now = new Date();
  const [series, events] = await Promise.all([
    serviceHealthSeries(serviceId, query, { now }).catch(() => serviceHealthSeries(serviceId, { ...query, check: undefined }, { now })),
    serviceHealthEvents(serviceId, query, { now }).catch(() => serviceHealthEvents(serviceId, { ...query, check: undefined }, { now })),
  ]);
  if (!series.checks.length) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center dark:border-slate-700 dark:bg-slate-900">
        <h2 className="text-base font-semibold">No health checks yet</h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Nothing probes {series.service.name}, so there is no availability or response time to chart.
        </p>
        {can(user.role, "health.manage") ? (
          <Link href={`/health/${serviceId}/checks/new`} className="mt-4 inline-flex items-center gap-2 rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500">
            <Plus aria-hidden="true" className="h-4 w-4" />
            Add check
          </Link>
        ) : (
          <p className="mt-2 text-sm text-slate-500">An operator or admin can add one.</p>
        )}
      </div>
    );
  }
  const initialQuery = new URLSearchParams(
    Object.entries({ range: query.range, ...(query.range === "custom" ? { from: query.from?.toISOString(), to: query.to?.toISOString() } : {}), ...(query.check ? { check: query.check } : {}) }).filter(
      (e): e is [string, string] => typeof e[1] === "string",
    ),
  ).toString();
  return (
    <Suspense>
      <ServiceAvailability serviceId={serviceId} initialQuery={initialQuery} initialSeries={series} initialEvents={events} />
    </Suspense>
  );
}
