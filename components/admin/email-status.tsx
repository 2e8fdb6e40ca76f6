import { MailCheck, MailX } from "lucide-react";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { outboxState } from "@/lib/notifications/outbox";
import { formatDateTime } from "@/lib/ui/format";

type State = Awaited<ReturnType<typeof outboxState>>;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-x-4 gap-y-0.5 py-2 sm:grid-cols-[16rem_1fr]">
      <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="font-medium">{children}</dd>
    </div>
  );
}

/** Read-only: whether email is on, where it goes (never the password) and how the outbox stands. */
export function EmailStatus({ state }: { state: State }) {
  return (
    <div className="space-y-4 p-4 text-sm">
      <div
        className={`flex items-start gap-3 rounded-lg border px-3 py-2.5 ${
          state.enabled
            ? "border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-100"
            : "border-slate-200 bg-slate-50 text-slate-800 dark:border-slate-700 dark:bg-slate-800/50 dark:text-slate-200"
        }`}
      >
        {state.enabled ? (
          <MailCheck aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
        ) : (
          <MailX aria-hidden="true" className="mt-0.5 h-4 w-4 shrink-0" />
        )}
        <p>
          {state.enabled
            ? "Email is on: notifications are also sent by email."
            : "Email is off: notifications appear in the portal only. Set SMTP_URL (and MAIL_FROM) to send them by email too."}
        </p>
      </div>
      <dl className="divide-y divide-slate-100 dark:divide-slate-800">
        <Row label="SMTP server">
          {state.enabled ? <code className="font-mono text-xs">{state.host}</code> : <span className="text-slate-500">Not configured</span>}
        </Row>
        <Row label="Sender">{state.from}</Row>
        <Row label="Waiting to be sent">
          <span className="tabular-nums">{state.queued}</span>
        </Row>
        <Row label="Sent in the last 24 hours">
          <span className="tabular-nums">{state.sentLastDay}</span>
        </Row>
        <Row label="Given up after repeated failures">
          {state.failed > 0 ? <Badge tone="danger">{state.failed}</Badge> : <span className="tabular-nums">0</span>}
        </Row>
      </dl>
      {state.lastFailure ? (
        <div className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2.5 text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100">
          <p className="font-medium">Latest delivery error</p>
          <p className="mt-1">
            &ldquo;{state.lastFailure.subject}&rdquo;, queued {formatDateTime(state.lastFailure.at)}, {state.lastFailure.attempts}{" "}
            {state.lastFailure.attempts === 1 ? "attempt" : "attempts"}:
          </p>
          <p className="mt-1 break-words font-mono text-xs">{state.lastFailure.lastError}</p>
        </div>
      ) : null}
    </div>
  );
}
