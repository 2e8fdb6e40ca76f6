"use client";

import { Check, Copy, KeyRound } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/lib/ui/format";

/**
 * A setup link, shown exactly once: the server keeps only its hash, so once this panel is gone
 * nobody can display it again (issue a new one instead).
 */
export function SetupLinkPanel({
  name,
  email,
  link,
  expiresAt,
}: {
  name: string;
  email: string;
  link: string;
  expiresAt: Date;
}) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // No clipboard API (plain HTTP on another host): select the text so Ctrl+C works.
      const input = document.getElementById("setup-link") as HTMLInputElement | null;
      input?.select();
      document.execCommand("copy");
    }
    setCopied(true);
  }

  return (
    <div
      role="status"
      className="rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-emerald-950 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-50"
    >
      <div className="flex items-start gap-3">
        <KeyRound aria-hidden="true" className="mt-0.5 h-5 w-5 shrink-0 text-emerald-600 dark:text-emerald-400" />
        <div className="min-w-0 flex-1 space-y-3">
          <div>
            <h3 className="font-semibold">Setup link for {name}</h3>
            <p className="mt-1 text-sm text-emerald-900 dark:text-emerald-100/80">
              Send it to <strong className="font-semibold">{email}</strong> over a channel you trust. It works once,
              expires {formatDateTime(expiresAt)}, and is <strong className="font-semibold">shown only now</strong>: the
              portal keeps no copy it could show again.
            </p>
          </div>
          <div className="flex flex-col gap-2 sm:flex-row">
            <label htmlFor="setup-link" className="sr-only">
              Setup link
            </label>
            <input
              id="setup-link"
              readOnly
              value={link}
              onFocus={(e) => e.currentTarget.select()}
              className="block w-full min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-xs text-slate-900 shadow-sm dark:border-emerald-500/40 dark:bg-slate-950 dark:text-slate-100"
            />
            <Button onClick={copy} className="shrink-0">
              {copied ? <Check aria-hidden="true" className="h-4 w-4" /> : <Copy aria-hidden="true" className="h-4 w-4" />}
              {copied ? "Copied" : "Copy link"}
            </Button>
          </div>
        </div>
      </div>
    </div>
  );
}
