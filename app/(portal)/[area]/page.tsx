import { Construction } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import { NAV_ITEMS } from "@/lib/ui/navigation";
import { UPCOMING_AREAS } from "@/lib/ui/upcoming-areas";

type Props = { params: Promise<{ area: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: UPCOMING_AREAS[(await params).area]?.title ?? "Not found" };
}

/** Areas in the navigation whose screens have not shipped yet say so plainly. */
export default async function UpcomingAreaPage({ params }: Props) {
  const { area } = await params;
  const info = UPCOMING_AREAS[area];
  const nav = NAV_ITEMS.find((n) => n.href === `/${area}`);
  if (!info || !nav) notFound();
  await requirePermission(nav.permission);
  return (
    <>
      <PageHeader title={info.title} />
      <Card>
        <div className="flex flex-col items-start gap-4 p-6 sm:flex-row">
          <Construction aria-hidden="true" className="h-8 w-8 shrink-0 text-amber-500" />
          <div>
            <h2 className="font-semibold">Not available in this release yet</h2>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              This area is on the roadmap. When it ships it will cover:
            </p>
            <ul className="mt-3 list-disc space-y-1 pl-5 text-sm">
              {info.covers.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </div>
        </div>
      </Card>
    </>
  );
}
