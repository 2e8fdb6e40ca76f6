"use client";

import { Laptop, Smartphone, Terminal } from "lucide-react";
import type { FormEvent } from "react";
import { revokeOtherSessionsAction, revokeSessionAction } from "@/app/(portal)/account/sessions/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmForm } from "@/components/ui/confirm-form";
import type { ActiveSession } from "@/lib/sessions/queries";
import { formatDateTime, timeAgo } from "@/lib/ui/format";

function DeviceIcon({ device }: { device: string }) {
  const Icon = /iPhone|iPad|Android/.test(device) ? Smartphone : /curl|Node/.test(device) ? Terminal : Laptop;
  return <Icon aria-hidden="true" className="h-5 w-5 shrink-0 text-slate-400" />;
}

export function SessionsList({ sessions }: { sessions: ActiveSession[] }) {
  const one = useGuardedAction(revokeSessionAction);
  const others = useGuardedAction(revokeOtherSessionsAction);
  const now = new Date();
  const otherCount = sessions.filter((s) => !s.current).length;

  function revoke(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    one.run(new FormData(event.currentTarget));
  }

  return (
    <div>
      <div className="space-y-3 px-4 pt-4 empty:hidden">
        <ActionStatus result={one.result} success={one.result?.ok ? `Signed out ${one.result.data.device}.` : undefined} />
        <ActionStatus
          result={others.result}
          success={
            others.result?.ok
              ? others.result.data.count
                ? `Signed out ${others.result.data.count} other ${others.result.data.count === 1 ? "session" : "sessions"}.`
                : "There were no other sessions."
              : undefined
          }
        />
      </div>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Your active sessions</caption>
        <thead className="hidden bg-slate-50 text-xs uppercase tracking-wide text-slate-500 sm:table-header-group dark:bg-slate-800/40 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2.5 font-medium">Device</th>
            <th scope="col" className="px-4 py-2.5 font-medium">IP address</th>
            <th scope="col" className="hidden px-4 py-2.5 font-medium md:table-cell">Signed in</th>
            <th scope="col" className="px-4 py-2.5 font-medium">Last active</th>
            <th scope="col" className="px-4 py-2.5 text-right font-medium"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {sessions.map((s) => (
            <tr key={s.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3 sm:table-row sm:p-0">
              <th scope="row" className="flex w-full items-center gap-3 font-normal sm:table-cell sm:w-auto sm:px-4 sm:py-3">
                <span className="flex items-center gap-3">
                  <DeviceIcon device={s.device} />
                  <span>
                    <span className="font-medium">{s.device}</span>
                    {s.current ? (
                      <span className="ml-2">
                        <Badge tone="info">This session</Badge>
                      </span>
                    ) : null}
                  </span>
                </span>
              </th>
              <td className="pl-8 font-mono text-xs text-slate-600 sm:table-cell sm:px-4 sm:py-3 dark:text-slate-400">
                {s.ip || "unknown"}
              </td>
              <td className="hidden whitespace-nowrap px-4 py-3 text-slate-600 md:table-cell dark:text-slate-400">
                {formatDateTime(s.createdAt)}
              </td>
              <td className="whitespace-nowrap text-xs text-slate-600 sm:table-cell sm:px-4 sm:py-3 sm:text-sm dark:text-slate-400">
                <span className="sm:hidden">· </span>
                {s.current ? "now" : timeAgo(s.lastSeenAt, now)}
              </td>
              <td className="ml-auto sm:table-cell sm:px-4 sm:py-2 sm:text-right">
                {s.current ? null : (
                  <form onSubmit={revoke}>
                    <input type="hidden" name="sessionId" value={s.id} />
                    <Button type="submit" variant="secondary" disabled={one.pending} aria-label={`Revoke ${s.device}, ${s.ip || "unknown IP"}`}>
                      Revoke
                    </Button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 dark:border-slate-800">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {otherCount
            ? `You are signed in on ${otherCount} other ${otherCount === 1 ? "device or browser" : "devices or browsers"}.`
            : "This is your only session."}
        </p>
        {otherCount ? (
          <ConfirmForm
            fields={{}}
            trigger="Sign out all other sessions"
            confirm="Sign out others"
            question="Every other device is signed out at its next click. This session stays signed in."
            run={others.run}
            pending={others.pending}
          />
        ) : null}
      </div>
      {one.stepUpDialog}
      {others.stepUpDialog}
    </div>
  );
}
