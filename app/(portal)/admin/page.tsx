import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { ROLE_LABELS } from "@/lib/rbac/permissions";
import { listUsers } from "@/lib/users/queries";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage() {
  await requirePermission("user.manage");
  const users = await listUsers();
  return (
    <Card title="Users">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Users</caption>
          <thead className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Name</th>
              <th scope="col" className="px-4 py-2 font-medium">Email</th>
              <th scope="col" className="px-4 py-2 font-medium">Role</th>
              <th scope="col" className="px-4 py-2 font-medium">MFA</th>
              <th scope="col" className="px-4 py-2 font-medium">Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {users.map((u) => (
              <tr key={u.id}>
                <th scope="row" className="px-4 py-2.5 font-medium">{u.name}</th>
                <td className="px-4 py-2.5">{u.email}</td>
                <td className="px-4 py-2.5">{ROLE_LABELS[u.role]}</td>
                <td className="px-4 py-2.5">
                  <Badge tone={u.mfaEnrolled ? "success" : "warning"}>{u.mfaEnrolled ? "Enrolled" : "Not enrolled"}</Badge>
                </td>
                <td className="px-4 py-2.5">
                  <Badge tone={u.active ? "success" : "danger"}>{u.active ? "Active" : "Deactivated"}</Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
