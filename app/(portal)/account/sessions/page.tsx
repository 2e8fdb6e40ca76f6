import type { Metadata } from "next";
import { SessionsList } from "@/components/account/sessions-list";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";
import { listActiveSessions } from "@/lib/sessions/queries";

export const metadata: Metadata = { title: "Sessions" };

export default async function MySessionsPage() {
  const me = await requirePermission("session.manage_own");
  const sessions = await listActiveSessions(me.id, me.sessionId);
  return (
    <Card title="Active sessions">
      <p className="px-4 py-3 text-sm text-slate-600 dark:text-slate-400">
        Everywhere you are signed in. If you do not recognise a device, revoke it and change your password.
      </p>
      <SessionsList sessions={sessions} />
    </Card>
  );
}
