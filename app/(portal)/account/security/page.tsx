import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { RecoveryCodesCard } from "@/components/account/recovery-codes-card";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { securityOverview } from "@/lib/auth/account-security";
import { requirePermission } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Password & MFA" };

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export default async function AccountSecurityPage() {
  const user = await requirePermission("session.manage_own");
  const overview = await securityOverview(user.id);
  return (
    <div className="grid items-start gap-6 lg:grid-cols-2">
      <Card title="Password">
        <div className="space-y-4 p-4">
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {overview.passwordChangedAt
              ? `Last changed on ${dateFormat.format(overview.passwordChangedAt)}.`
              : "Set when your account was created."}{" "}
            Changing it signs you out everywhere else.
          </p>
          <ChangePasswordForm email={user.email} />
        </div>
      </Card>
      <Card title="Two-factor authentication">
        <div className="space-y-5 p-4">
          <div className="flex items-start justify-between gap-4">
            <div className="min-w-0">
              <p className="text-sm font-medium">Authenticator app</p>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                {overview.mfaEnrolledAt
                  ? `Set up on ${dateFormat.format(overview.mfaEnrolledAt)}. Asked for at every sign-in and before sensitive actions.`
                  : "Asked for at every sign-in and before sensitive actions."}
              </p>
            </div>
            <span className="shrink-0">
              <Badge tone="success">On</Badge>
            </span>
          </div>
          <RecoveryCodesCard
            account={user.email}
            remaining={overview.recoveryCodesRemaining}
            issued={overview.recoveryCodesIssued}
          />
        </div>
      </Card>
    </div>
  );
}
