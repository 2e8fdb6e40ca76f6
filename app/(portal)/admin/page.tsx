import { UserPlus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { UsersTable } from "@/components/admin/users-table";
import { requirePermission } from "@/lib/auth/guards";
import { listUsers } from "@/lib/users/queries";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage() {
  const me = await requirePermission("user.manage");
  const users = await listUsers();
  const active = users.filter((u) => u.active).length;
  const pending = users.filter((u) => u.active && !u.setupComplete).length;
  return (
    <section
      aria-labelledby="users-heading"
      className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <div>
          <h2 id="users-heading" className="text-sm font-semibold">
            Users
          </h2>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {active} active{pending ? `, ${pending} waiting to finish setup` : ""}
            {users.length > active ? `, ${users.length - active} deactivated` : ""}
          </p>
        </div>
        <Link
          href="/admin/users/new"
          className="inline-flex items-center gap-2 rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
        >
          <UserPlus aria-hidden="true" className="h-4 w-4" />
          Add user
        </Link>
      </div>
      <UsersTable users={users} currentUserId={me.id} />
    </section>
  );
}
