import type { Metadata } from "next";
import { PermissionMatrix } from "@/components/admin/permission-matrix";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Permission matrix" };

export default async function PermissionsPage() {
  await requirePermission("user.manage");
  return (
    <Card title="Permission matrix (read-only)">
      <p className="px-4 pt-3 text-sm text-slate-600 dark:text-slate-400">
        This table is generated from the matrix the server enforces (lib/rbac). Anything not ticked is refused.
      </p>
      <PermissionMatrix />
    </Card>
  );
}
