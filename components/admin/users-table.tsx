import { ChevronRight } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { ROLE_LABELS } from "@/lib/rbac/permissions";
import { formatDate, timeAgo } from "@/lib/ui/format";
import type { UserListRow } from "@/lib/users/queries";

export function StatusBadges({ user }: { user: Pick<UserListRow, "active" | "mfaEnrolled" | "setupComplete"> }) {
  if (!user.active) return <Badge tone="danger">Deactivated</Badge>;
  if (!user.setupComplete) return <Badge tone="warning">Setup pending</Badge>;
  return <Badge tone="success">Active</Badge>;
}

export function UsersTable({ users, currentUserId }: { users: UserListRow[]; currentUserId: string }) {
  const now = new Date();
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Users</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2.5 font-medium">Name</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Role</th>
            <th scope="col" className="hidden px-4 py-2.5 font-medium md:table-cell">MFA</th>
            <th scope="col" className="hidden px-4 py-2.5 font-medium sm:table-cell">Status</th>
            <th scope="col" className="hidden px-4 py-2.5 font-medium lg:table-cell">Last sign-in</th>
            <th scope="col" className="hidden px-4 py-2.5 font-medium xl:table-cell">Created</th>
            <th scope="col" className="hidden w-8 px-2 py-2.5 sm:table-cell"><span className="sr-only">Manage</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {users.map((u) => (
            <tr key={u.id} className={`group relative hover:bg-slate-50 dark:hover:bg-slate-800/40 ${u.active ? "" : "text-slate-500 dark:text-slate-400"}`}>
              <th scope="row" className="px-4 py-3 font-normal">
                <Link
                  href={`/admin/users/${u.id}`}
                  className="font-medium text-slate-900 after:absolute after:inset-0 hover:text-indigo-700 dark:text-slate-100 dark:hover:text-indigo-300"
                >
                  {u.name}
                </Link>
                {u.id === currentUserId ? <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">(you)</span> : null}
                <span className="block truncate text-xs text-slate-500 dark:text-slate-400">{u.email}</span>
                <span className="mt-1 block sm:hidden">
                  <StatusBadges user={u} />
                </span>
              </th>
              <td className="whitespace-nowrap px-4 py-3">{ROLE_LABELS[u.role]}</td>
              <td className="hidden px-4 py-3 md:table-cell">
                <Badge tone={u.mfaEnrolled ? "success" : "neutral"}>{u.mfaEnrolled ? "Enrolled" : "Not enrolled"}</Badge>
              </td>
              <td className="hidden px-4 py-3 sm:table-cell">
                <StatusBadges user={u} />
              </td>
              <td className="hidden whitespace-nowrap px-4 py-3 text-slate-600 lg:table-cell dark:text-slate-400">
                {u.lastSignInAt ? timeAgo(u.lastSignInAt, now) : "Never"}
              </td>
              <td className="hidden whitespace-nowrap px-4 py-3 text-slate-600 xl:table-cell dark:text-slate-400">
                {formatDate(u.createdAt)}
              </td>
              <td className="hidden px-2 py-3 text-slate-400 sm:table-cell">
                <ChevronRight aria-hidden="true" className="h-4 w-4 group-hover:text-indigo-500" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
