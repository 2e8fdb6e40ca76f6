import Link from "next/link";
import type { CatalogueRow } from "@/lib/services/queries";
import { EnvironmentBadge, TierBadge } from "./environment-badge";

export function CatalogueTable({ services, filtered }: { services: CatalogueRow[]; filtered: boolean }) {
  if (!services.length) {
    return (
      <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">
        {filtered ? "No service matches this filter." : "No services are registered yet."}
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{filtered ? "Matching services" : "Services"}</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Service</th>
            <th scope="col" className="px-4 py-2 font-medium">Environment</th>
            <th scope="col" className="px-4 py-2 font-medium">Owner team</th>
            <th scope="col" className="px-4 py-2 font-medium">Tier</th>
            <th scope="col" className="px-4 py-2 text-right font-medium">Stakeholders</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {services.map((s) => (
            <tr key={s.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
              <th scope="row" className="min-w-40 px-4 py-2.5 font-medium">
                <Link href={`/services/${s.id}`} className="whitespace-nowrap text-indigo-700 hover:underline dark:text-indigo-300">
                  {s.name}
                </Link>
                {s.description ? (
                  <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">{s.description}</span>
                ) : null}
              </th>
              <td className="px-4 py-2.5">
                <EnvironmentBadge environment={s.environment} />
              </td>
              <td className="px-4 py-2.5">{s.ownerTeam}</td>
              <td className="whitespace-nowrap px-4 py-2.5">
                <TierBadge tier={s.tier} />
              </td>
              <td className="px-4 py-2.5 text-right tabular-nums">{s.stakeholderCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
