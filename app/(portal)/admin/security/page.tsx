import { CircleCheck, Globe, TriangleAlert } from "lucide-react";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { EmailStatus } from "@/components/admin/email-status";
import { IpRulesEditor } from "@/components/admin/ip-rules-editor";
import { SessionPolicyForm } from "@/components/admin/session-policy-form";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { requestContext } from "@/lib/http/request-context";
import { outboxState } from "@/lib/notifications/outbox";
import { inRanges, ipPolicy } from "@/lib/security/ip-policy";
import { listIpRules } from "@/lib/security/queries";
import { sessionPolicy } from "@/lib/settings/session-policy";

export const metadata: Metadata = { title: "Security settings" };

function CardIntro({ children }: { children: ReactNode }) {
  return <p className="px-4 pt-4 text-sm text-slate-600 dark:text-slate-400">{children}</p>;
}

export default async function SecuritySettingsPage() {
  await requirePermission("security.manage");
  const [policy, rules, inForce, { ip }, email] = await Promise.all([
    sessionPolicy(),
    listIpRules(),
    ipPolicy(),
    requestContext(),
    outboxState(),
  ]);
  const listEmpty = rules.allow.length === 0;
  const youAreIn = !inForce.allow || inRanges(inForce.allow, ip);
  return (
    <div className="space-y-6">
      <Card title="Session policy">
        <CardIntro>How long a signed-in session lasts, and how recently a code must have been entered for sensitive actions.</CardIntro>
        <SessionPolicyForm policy={policy} />
      </Card>

      <Card title="IP allow-list">
        <CardIntro>
          Only clients from these ranges reach the portal: sign-in, pages and API alike. An empty list allows every
          address. You cannot save a list that leaves out the address you are using.
        </CardIntro>
        <div className="space-y-4 p-4">
          <div
            className={`flex items-start gap-3 rounded-lg border px-3 py-2.5 text-sm ${
              listEmpty
                ? "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100"
                : youAreIn
                  ? "border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-100"
                  : "border-red-200 bg-red-50 text-red-900 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-100"
            }`}
          >
            {listEmpty ? (
              <Globe aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
            ) : youAreIn ? (
              <CircleCheck aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
            ) : (
              <TriangleAlert aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
            )}
            <p>
              {listEmpty ? "The list is empty: every address may connect. " : null}
              The portal sees your address as <code className="rounded bg-white/60 px-1 font-mono font-semibold dark:bg-black/20">{ip || "unknown"}</code>
              {listEmpty ? "." : youAreIn ? ", which is on the list." : ", which is not on the list (the change is still reaching this instance)."}
            </p>
          </div>
          <IpRulesEditor kind="ALLOW" title="Allowed ranges" rules={rules.allow} />
        </div>
      </Card>

      <Card title="Trusted proxies">
        <CardIntro>
          Load balancers or reverse proxies (Nginx) in front of the portal. Their X-Forwarded-For header is believed;
          anyone else&apos;s is ignored, so a client cannot claim another address.
        </CardIntro>
        <div className="p-4">
          <IpRulesEditor
            kind="TRUSTED_PROXY"
            title="Trusted proxy ranges"
            rules={rules.trustedProxies}
            fixed={rules.envTrustedProxies}
            fixedNote="TRUSTED_PROXIES variable"
            emptyNote="No trusted proxies: every client is judged by the address that connects."
          />
        </div>
      </Card>

      <Card title="Email">
        <CardIntro>
          Notifications always appear in the portal. With an SMTP server configured they are emailed too, from a queue
          that retries when the server is unavailable. Configured by environment variables; see docs/notifications.md.
        </CardIntro>
        <EmailStatus state={email} />
      </Card>
    </div>
  );
}
