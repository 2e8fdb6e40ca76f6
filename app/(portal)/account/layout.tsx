import type { ReactNode } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { TabsNav } from "@/components/ui/tabs-nav";
import { requireUser } from "@/lib/auth/current-user";
import { can } from "@/lib/rbac/permissions";

export default async function AccountLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <PageHeader title="Your account" description="Sign-in security, active sessions and API tokens." />
      <TabsNav
        label="Account"
        tabs={[
          { href: "/account/sessions", label: "Sessions" },
          { href: "/account/security", label: "Password & MFA" },
          ...(can(user.role, "apitoken.create") ? [{ href: "/account/tokens", label: "API tokens" }] : []),
        ]}
      />
      {children}
    </>
  );
}
