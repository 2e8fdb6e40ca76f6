import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ServiceForm } from "@/components/services/service-form";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { getServiceDetail, listOwnerTeams, listStakeholderCandidates } from "@/lib/services/queries";
import { ENVIRONMENT_LABELS } from "@/lib/services/schemas";

export const metadata: Metadata = { title: "Edit service" };

type Props = { params: Promise<{ id: string }> };

export default async function EditServicePage({ params }: Props) {
  await requirePermission("service.write");
  const [service, candidates, teams] = await Promise.all([
    getServiceDetail((await params).id),
    listStakeholderCandidates(),
    listOwnerTeams(),
  ]);
  if (!service) notFound();
  // Someone named earlier whose role has changed since stays listed (and ticked) until removed.
  const listed = new Set(candidates.map((c) => c.id));
  const people = [...candidates, ...service.stakeholders.filter((s) => !listed.has(s.id))];
  return (
    <div className="max-w-4xl space-y-4">
      <Link
        href={`/services/${service.id}`}
        className="inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
      >
        <ArrowLeft aria-hidden="true" className="h-4 w-4" />
        {service.name} ({ENVIRONMENT_LABELS[service.environment]})
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">Edit {service.name}</h1>
      <Card>
        <ServiceForm
          service={{ ...service, stakeholderIds: service.stakeholders.map((s) => s.id) }}
          people={people}
          teams={teams}
        />
      </Card>
    </div>
  );
}
