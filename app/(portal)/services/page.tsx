import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { CatalogueFilterForm } from "@/components/services/catalogue-filter-form";
import { CatalogueTable } from "@/components/services/catalogue-table";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import { can } from "@/lib/rbac/permissions";
import { listOwnerTeams, listServiceCatalogue } from "@/lib/services/queries";
import { ZServiceFilter } from "@/lib/services/schemas";

export const metadata: Metadata = { title: "Services" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => [v].flat()[0];

export default async function ServicesPage({ searchParams }: Props) {
  const user = await requirePermission("service.read");
  const params = await searchParams;
  const filter = ZServiceFilter.parse({ q: first(params.q), environment: first(params.environment), team: first(params.team) });
  const [services, teams] = await Promise.all([listServiceCatalogue(filter), listOwnerTeams()]);
  const filtered = Boolean(filter.q || filter.environment || filter.team);
  return (
    <>
      <PageHeader
        title="Services"
        description="What runs where, who owns it, and who must sign off its changes."
        actions={
          can(user.role, "service.write") ? (
            <Link
              href="/services/new"
              className="inline-flex items-center gap-2 rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
            >
              <Plus aria-hidden="true" className="h-4 w-4" />
              Add service
            </Link>
          ) : null
        }
      />
      <div className="space-y-6">
        <Card>
          <CatalogueFilterForm filter={filter} teams={teams} />
        </Card>
        <Card title={filtered ? `Matching services (${services.length})` : `Catalogue (${services.length})`}>
          <CatalogueTable services={services} filtered={filtered} />
        </Card>
      </div>
    </>
  );
}
