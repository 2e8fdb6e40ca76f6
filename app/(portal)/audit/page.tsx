import type { Metadata } from "next";
import { AuditExportButtons } from "@/components/audit/audit-export-buttons";
import { AuditFilterForm } from "@/components/audit/audit-filter-form";
import { AuditPagination } from "@/components/audit/audit-pagination";
import { AuditTable } from "@/components/audit/audit-table";
import { VerifyPanel } from "@/components/audit/verify-panel";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { filterInput, filterParams, ZAuditFilter } from "@/lib/audit/filters";
import { auditPage, lastVerification, type AuditCursor } from "@/lib/audit/queries";
import { requirePermission } from "@/lib/auth/guards";
import { can } from "@/lib/rbac/permissions";
import { parseInput } from "@/lib/validation/parse";

export const metadata: Metadata = { title: "Audit trail" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function cursorFrom(params: Record<string, string | string[] | undefined>): AuditCursor {
  const seq = (v: string | string[] | undefined) => {
    const n = Number([v].flat()[0]);
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  };
  const after = seq(params.after);
  return after !== undefined ? { after } : { before: seq(params.before) };
}

export default async function AuditPage({ searchParams }: Props) {
  const user = await requirePermission("audit.read");
  const params = await searchParams;
  const values = filterInput(params);
  const parsed = parseInput(ZAuditFilter, values);
  const [page, last] = await Promise.all([
    parsed.ok ? auditPage(parsed.data, cursorFrom(params)) : null,
    lastVerification(),
  ]);
  const filterQuery = parsed.ok ? filterParams(parsed.data).toString() : "";
  const events = page?.events ?? [];
  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every sign-in and every change, append-only and hash-chained. Newest first."
        actions={can(user.role, "audit.export") && parsed.ok ? <AuditExportButtons filter={Object.fromEntries(filterParams(parsed.data))} /> : null}
      />
      <div className="space-y-6">
        <Card title="Integrity">
          <VerifyPanel last={last} />
        </Card>
        <Card title="Filters">
          <AuditFilterForm values={values} errors={parsed.ok ? undefined : parsed.fieldErrors} />
        </Card>
        <Card title={filterQuery ? "Matching events" : "Events"}>
          {parsed.ok ? (
            <>
              <AuditTable events={events} caption={filterQuery ? "Matching audit events, newest first" : "Audit events, newest first"} />
              <AuditPagination
                filterQuery={filterQuery}
                newer={page?.newer ?? null}
                older={page?.older ?? null}
                range={events.length ? { newest: events[0]!.seq, oldest: events[events.length - 1]!.seq } : null}
              />
            </>
          ) : (
            <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">Correct the filters above to see events.</p>
          )}
        </Card>
      </div>
    </>
  );
}
