import type { Metadata } from "next";
import { CreateTokenForm } from "@/components/api-tokens/create-token-form";
import { TokenTable } from "@/components/api-tokens/token-table";
import { Card } from "@/components/ui/card";
import { listApiTokens } from "@/lib/api-tokens/queries";
import { grantableRoles } from "@/lib/api-tokens/roles";
import { requirePermission } from "@/lib/auth/guards";
import { can, ROLE_LABELS } from "@/lib/rbac/permissions";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const user = await requirePermission("apitoken.create");
  const tokens = await listApiTokens(user);
  const seesAll = can(user.role, "security.manage");
  return (
    <div className="space-y-6">
      <Card title="Create a token">
        <p className="px-4 pt-4 text-sm text-slate-600 dark:text-slate-400">
          Tokens let machines (CI pipelines, metric pushers) call <code className="font-mono text-xs">/api/v1</code> on
          your behalf, with the role you choose. Creating one asks for a fresh authenticator code. Check a token with{" "}
          <code className="font-mono text-xs">GET /api/v1/me</code>.
        </p>
        <CreateTokenForm roles={grantableRoles(user.role).map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
      </Card>
      <Card title={seesAll ? "All API tokens" : "Your API tokens"}>
        <TokenTable tokens={tokens} showOwner={seesAll} />
      </Card>
    </div>
  );
}
