import type { ReactNode } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { TabsNav } from "@/components/ui/tabs-nav";
import { requirePermission } from "@/lib/auth/guards";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requirePermission("user.manage");
  return (
    <>
      <PageHeader title="Administration" description="People, their roles, security settings, what each role may do, and the portal's monitoring." />
      <TabsNav
        label="Administration"
        tabs={[
          { href: "/admin", label: "Users", within: "/admin/users/" },
          { href: "/admin/security", label: "Security settings" },
          { href: "/admin/permissions", label: "Permission matrix" },
          { href: "/admin/prometheus", label: "Prometheus" },
          { href: "/admin/api-performance", label: "API performance" },
        ]}
      />
      {children}
    </>
  );
}
