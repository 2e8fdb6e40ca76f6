"use client";

import { ShieldAlert, ShieldCheck, ShieldQuestion } from "lucide-react";
import { useState, useTransition } from "react";
import { verifyAuditTrailAction } from "@/app/(portal)/audit/actions";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions/define-action";
import type { LastVerification } from "@/lib/audit/queries";
import type { RecordedVerification } from "@/lib/audit/service";

const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
const count = new Intl.NumberFormat("en-GB");
const duration = (ms: number) => (ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(1)} s`);

/** Recomputes every hash in the chain on demand; the check itself lands in the trail. */
export function VerifyPanel({ last }: { last: LastVerification | null }) {
  const [result, setResult] = useState<ActionResult<RecordedVerification> | null>(null);
  const [pending, startTransition] = useTransition();

  const verify = () =>
    startTransition(async () => {
      setResult(await verifyAuditTrailAction({}));
    });

  const done = result?.ok ? result.data : null;
  const Icon = done ? (done.intact ? ShieldCheck : ShieldAlert) : ShieldQuestion;
  const tone = done
    ? done.intact
      ? "bg-emerald-50 text-emerald-700 dark:bg-emerald-500/15 dark:text-emerald-300"
      : "bg-red-50 text-red-700 dark:bg-red-500/15 dark:text-red-300"
    : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300";

  return (
    <div className="flex flex-col gap-4 p-4 sm:flex-row sm:items-center">
      <span className={`inline-flex h-10 w-10 shrink-0 items-center justify-center rounded-full ${tone}`}>
        <Icon aria-hidden="true" className="h-5 w-5" />
      </span>
      <div className="min-w-0 flex-1 text-sm">
        {done ? (
          done.intact ? (
            <p role="status" className="font-medium text-emerald-700 dark:text-emerald-300">
              Intact: all {count.format(done.events)} events verified in {duration(done.ms)}.
            </p>
          ) : (
            <p role="alert" className="font-medium text-red-700 dark:text-red-300">
              Broken at event #{done.brokenAt}: {done.reason}. {count.format(done.events)} events before it are intact.
            </p>
          )
        ) : result && !result.ok ? (
          <p role="alert" className="font-medium text-red-700 dark:text-red-300">
            {result.message}
          </p>
        ) : (
          <p className="font-medium">Recompute every hash in the chain to prove nothing was edited, removed or reordered.</p>
        )}
        <p className="mt-0.5 text-slate-500 dark:text-slate-400">
          {done
            ? "This check is now recorded in the trail (audit.verified)."
            : last
              ? `Last checked ${timeFormat.format(last.at)} UTC by ${last.by}: ${last.summary}.`
              : "Not checked from this page yet."}{" "}
          The same check runs from the command line: <code className="font-mono text-xs">npm run audit:verify</code>.
        </p>
      </div>
      <Button onClick={verify} disabled={pending} className="shrink-0">
        {pending ? "Verifying…" : "Verify integrity"}
      </Button>
    </div>
  );
}
