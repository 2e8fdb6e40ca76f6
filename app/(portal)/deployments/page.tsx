import { Rocket, SearchX } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { DeploymentFilterForm } from "@/components/deployments/deployment-filter-form";
import { DeploymentPagination } from "@/components/deployments/deployment-pagination";
import { DeploymentTable } from "@/components/deployments/deployment-table";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/guards";
import {
  deploymentFilterOptions,
  deploymentQueryParams,
  listDeployments,
  ZDeploymentQuery,
  type DeploymentPage,
} from "@/lib/deployments/queries";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";

export const metadata: Metadata = { title: "Deployments" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => [v].flat()[0] || undefined;

export default async function DeploymentsPage({ searchParams }: Props) {
  const user = await requirePermission("deployment.read");
  const params = await searchParams;
  const values = { service: first(params.service) ?? "", status: [params.status ?? []].flat() };
  const parsed = parseInput(ZDeploymentQuery, values);
  const { services } = await deploymentFilterOptions();
  let page: DeploymentPage | null = null;
  let cursorError: string | null = null;
  if (parsed.ok) {
    try {
      page = await listDeployments(user, parsed.data, { after: first(params.after), before: first(params.before) });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "invalid_input") throw err;
      cursorError = err.message;
    }
  }
  const filtered = parsed.ok && (parsed.data.service !== undefined || parsed.data.status.length > 0);
  const queryString = parsed.ok ? deploymentQueryParams(parsed.data).toString() : "";

  return (
    <>
      <PageHeader
        title="Deployments"
        description="Every blue-green rollout across services: who started it, which version and colour went live, how long it took and how it ended. Start one from an approved change."
      />
      <div className="space-y-6">
        <Card title="Filters">
          <DeploymentFilterForm values={values} services={services} errors={parsed.ok ? undefined : parsed.fieldErrors} />
        </Card>
        <section aria-labelledby="deployments-results" className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <h2 id="deployments-results" className="border-b border-slate-200 px-4 py-3 text-sm font-semibold dark:border-slate-800">
            {filtered ? "Matching deployments" : "Deployment history"}
          </h2>
          {!parsed.ok ? (
            <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">Correct the filters above to see deployments.</p>
          ) : cursorError ? (
            <div className="p-4">
              <Alert>
                {cursorError}{" "}
                <Link href={queryString ? `/deployments?${queryString}` : "/deployments"} className="font-semibold underline">
                  First page
                </Link>
              </Alert>
            </div>
          ) : page && page.deployments.length ? (
            <>
              <DeploymentTable deployments={page.deployments} caption={`${filtered ? "Matching deployments" : "Deployments"}, newest first`} />
              <DeploymentPagination queryString={queryString} prev={page.prev} next={page.next} shown={page.deployments.length} />
            </>
          ) : (
            <div className="flex flex-col items-center gap-3 px-4 py-12 text-center">
              {filtered ? <SearchX aria-hidden="true" className="h-8 w-8 text-slate-400" /> : <Rocket aria-hidden="true" className="h-8 w-8 text-slate-400" />}
              <p className="font-medium">{filtered ? "No deployment matches these filters." : "No deployments yet."}</p>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                {filtered
                  ? "Tick more statuses or choose another service."
                  : "A deployment starts from an approved change whose service has a deployment target."}
              </p>
              {filtered ? (
                <Link href="/deployments" className="text-sm font-semibold text-indigo-700 hover:underline dark:text-indigo-300">
                  Clear filters
                </Link>
              ) : (
                <Link href="/changes?status=APPROVED&status=SCHEDULED" className="text-sm font-semibold text-indigo-700 hover:underline dark:text-indigo-300">
                  Approved changes
                </Link>
              )}
            </div>
          )}
        </section>
      </div>
    </>
  );
}
