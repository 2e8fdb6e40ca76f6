import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { createChangeAction } from "@/app/(portal)/changes/actions";
import { ChangeForm } from "@/components/changes/change-form";
import { ChangesTabs } from "@/components/changes/changes-tabs";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import { serviceChoices, stakeholderChoices } from "@/lib/changes/form-options";

export const metadata: Metadata = { title: "Raise a change" };

export default async function NewChangePage() {
  const user = await requirePermission("change.create");
  const [services, people] = await Promise.all([serviceChoices(), stakeholderChoices(user.id)]);
  return (
    <>
      <PageHeader
        title="Raise a change request"
        description="It starts as a draft: attach evidence and submit it for approval when it is ready. Times are UTC."
      />
      <ChangesTabs />
      <Link href="/changes" className="mb-4 inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        <ArrowLeft aria-hidden="true" className="h-4 w-4" />
        All change requests
      </Link>
      <Card>
        <ChangeForm action={createChangeAction} services={services} people={people} cancelHref="/changes" />
      </Card>
    </>
  );
}
