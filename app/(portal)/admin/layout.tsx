import type { ReactNode } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { TabsNav } from "@/components/ui/tabs-nav";
import { requirePermission } from "@/lib/auth/guards";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requirePermission("user.manage");
  return (
    <>
      <PageHeader title="Administration" description="People, their roles, security settings, and what each role may do." />
      <TabsNav
        label="Administration"
        tabs={[
          { href: "/admin", label: "Users", within: "/admin/users/" },
          { href: "/admin/security", label: "Security settings" },
          { href: "/admin/permissions", label: "Permission matrix" },
        ]}
      />
      {children}
    </>
  );
}
