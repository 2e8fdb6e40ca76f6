import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ServiceForm } from "@/components/services/service-form";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { listOwnerTeams, listStakeholderCandidates } from "@/lib/services/queries";

export const metadata: Metadata = { title: "Add a service" };

export default async function NewServicePage() {
  await requirePermission("service.write");
  const [people, teams] = await Promise.all([listStakeholderCandidates(), listOwnerTeams()]);
  return (
    <div className="max-w-4xl space-y-4">
      <Link href="/services" className="inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        <ArrowLeft aria-hidden="true" className="h-4 w-4" />
        All services
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">Add a service</h1>
      <Card>
        <ServiceForm people={people} teams={teams} />
      </Card>
    </div>
  );
}
