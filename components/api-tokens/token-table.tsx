import { Badge } from "@/components/ui/badge";
import { apiTokenStatus, type ApiTokenRow } from "@/lib/api-tokens/queries";
import { ROLE_LABELS } from "@/lib/rbac/permissions";
import { RevokeTokenButton } from "./revoke-token-button";

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

const STATUS = {
  active: { tone: "success", label: "Active" },
  expired: { tone: "neutral", label: "Expired" },
  revoked: { tone: "danger", label: "Revoked" },
} as const;

export function TokenTable({ tokens, showOwner }: { tokens: ApiTokenRow[]; showOwner: boolean }) {
  if (!tokens.length) {
    return (
      <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">
        No API tokens yet. Create one above for a pipeline or a metrics pusher.
      </p>
    );
  }
  const now = new Date();
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API tokens</caption>
        <thead className="border-b border-slate-200 bg-slate-50/80 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2.5 font-medium">Name</th>
            {showOwner ? <th scope="col" className="px-4 py-2.5 font-medium">Owner</th> : null}
            <th scope="col" className="px-4 py-2.5 font-medium">Token</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Role</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Created</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Expires</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Last used (UTC)</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Status</th>
            <th scope="col" className="px-4 py-2.5 text-right font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {tokens.map((t) => {
            const status = apiTokenStatus(t, now);
            return (
              <tr key={t.id} className={status === "active" ? "" : "text-slate-500 dark:text-slate-400"}>
                <th scope="row" className="min-w-40 px-4 py-2.5 font-medium">{t.name}</th>
                {showOwner ? <td className="px-4 py-2.5">{t.owner.email}</td> : null}
                <td className="whitespace-nowrap px-4 py-2.5 font-mono text-xs">{t.prefix}…</td>
                <td className="px-4 py-2.5">{ROLE_LABELS[t.role]}</td>
                <td className="whitespace-nowrap px-4 py-2.5 tabular-nums">{dateFormat.format(t.createdAt)}</td>
                <td className="whitespace-nowrap px-4 py-2.5 tabular-nums">{dateFormat.format(t.expiresAt)}</td>
                <td className="whitespace-nowrap px-4 py-2.5 tabular-nums">{t.lastUsedAt ? timeFormat.format(t.lastUsedAt) : "Never"}</td>
                <td className="px-4 py-2.5">
                  <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>
                </td>
                <td className="px-4 py-2.5 text-right">{status === "active" ? <RevokeTokenButton id={t.id} name={t.name} /> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
