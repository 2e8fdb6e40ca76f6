import type { ReactNode } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { TabsNav } from "@/components/ui/tabs-nav";
import { requireUser } from "@/lib/auth/current-user";

export default async function AccountLayout({ children }: { children: ReactNode }) {
  await requireUser();
  return (
    <>
      <PageHeader title="Your account" description="Sign-in security, active sessions and API tokens." />
      <TabsNav
        label="Account"
        tabs={[
          { href: "/account/sessions", label: "Sessions" },
          { href: "/account/security", label: "Password & MFA" },
          { href: "/account/tokens", label: "API tokens" },
        ]}
      />
      {children}
    </>
  );
}
