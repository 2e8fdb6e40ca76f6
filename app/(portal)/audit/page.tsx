import type { Metadata } from "next";
import { AuditTable } from "@/components/audit/audit-table";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { latestAuditEvents } from "@/lib/audit/queries";
import { requirePermission } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Audit trail" };

export default async function AuditPage() {
  await requirePermission("audit.read");
  const events = await latestAuditEvents(100);
  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every sign-in and every change, append-only and hash-chained. Newest first."
      />
      <Card>
        <AuditTable events={events} />
      </Card>
    </>
  );
}
