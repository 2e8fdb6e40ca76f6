import Link from "next/link";
import type { ServiceRow } from "@/lib/services/queries";
import { EnvironmentBadge, TierBadge } from "./environment-badge";

/** The dashboard's compact catalogue; the full one, with filters, is /services. */
export function ServiceTable({ services }: { services: ServiceRow[] }) {
  if (!services.length) {
    return <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">No services are registered yet.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Services</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Service</th>
            <th scope="col" className="px-4 py-2 font-medium">Environment</th>
            <th scope="col" className="px-4 py-2 font-medium">Owner team</th>
            <th scope="col" className="px-4 py-2 font-medium">Tier</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {services.map((s) => (
            <tr key={s.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
              <th scope="row" className="px-4 py-2.5 font-medium">
                <Link href={`/services/${s.id}`} className="hover:underline">
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
