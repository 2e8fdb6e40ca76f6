import Link from "next/link";
import { ChangeStatusBadge } from "@/components/changes/change-badges";
import type { RecentChange } from "@/lib/services/queries";
import { formatDateTime } from "@/lib/ui/format";


/** The newest change requests of one service; each links to the change by its number. */
export function RecentChangesTable({ changes }: { changes: RecentChange[] }) {
  if (!changes.length) {
    return <p className="px-4 py-4 text-sm text-slate-500 dark:text-slate-400">No change requests for this service yet.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Latest change requests of this service, newest first</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Change</th>
            <th scope="col" className="px-4 py-2 font-medium">Status</th>
            <th scope="col" className="px-4 py-2 font-medium">Planned start</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {changes.map((c) => (
            <tr key={c.id}>
              <th scope="row" className="min-w-48 px-4 py-2.5 font-normal">
                <Link href={`/changes/${c.number}`} className="font-mono text-xs font-semibold text-indigo-700 hover:underline dark:text-indigo-300">
                  {c.number}
                </Link>
                <span className="block">{c.title}</span>
              </th>
              <td className="px-4 py-2.5">
                <ChangeStatusBadge status={c.status} />
              </td>
              <td className="whitespace-nowrap px-4 py-2.5 text-slate-600 dark:text-slate-400">{formatDateTime(c.plannedStart)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
