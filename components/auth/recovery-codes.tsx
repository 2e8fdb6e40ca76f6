"use client";

import { Check, Copy, Download, LifeBuoy } from "lucide-react";
import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * Freshly issued recovery codes, shown this once: copy or download them, confirm they are saved,
 * then continue. Nothing on the server can show them again (only their hashes are stored).
 */
export function RecoveryCodes({
  codes,
  account,
  continueLabel,
  onContinue,
  busy = false,
  error,
}: {
  codes: string[];
  account: string;
  continueLabel: string;
  onContinue: () => void;
  busy?: boolean;
  error?: string;
}) {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  const headingId = useId();
  const [issuedOn] = useState(() => new Date().toISOString().slice(0, 10));
  const text = [
    `Ops Portal recovery codes for ${account}`,
    `Issued ${issuedOn}. Each code signs you in once, instead of an authenticator code.`,
    "",
    ...codes,
    "",
  ].join("\n");

  async function copy() {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  }

  return (
    <section aria-labelledby={headingId} className="space-y-5" data-wide>
      <div className="flex items-start gap-3">
        <LifeBuoy aria-hidden="true" className="mt-0.5 h-5 w-5 shrink-0 text-indigo-600 dark:text-indigo-400" />
        <div>
          <h2 id={headingId} className="text-lg font-semibold">
            Save your recovery codes
          </h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            If you lose your phone, each code signs you in <strong>once</strong> instead of an authenticator code.
            Keep them somewhere safe, such as a password manager. <strong>They will not be shown again.</strong>
          </p>
        </div>
      </div>
      <ol
        aria-label="Recovery codes"
        className="grid grid-cols-2 gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-slate-50 p-4 font-mono text-[0.95rem] tracking-wide dark:border-slate-700 dark:bg-slate-950"
      >
        {codes.map((code, i) => (
          <li key={code} className="flex items-baseline gap-2">
            <span aria-hidden="true" className="w-5 text-right text-xs text-slate-400 tabular-nums dark:text-slate-500">
              {i + 1}.
            </span>
            <span className="select-all">{code}</span>
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={copy}>
          {copied ? <Check aria-hidden="true" className="h-4 w-4" /> : <Copy aria-hidden="true" className="h-4 w-4" />}
          {copied ? "Copied" : "Copy codes"}
        </Button>
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download="ops-portal-recovery-codes.txt"
          className="inline-flex items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-semibold text-slate-800 shadow-sm transition hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
        >
          <Download aria-hidden="true" className="h-4 w-4" />
          Download as text
        </a>
        <span role="status" className="sr-only">
          {copied ? "Recovery codes copied to the clipboard." : ""}
        </span>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      <label className="flex items-start gap-3 rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100">
        <input
          type="checkbox"
          checked={saved}
          onChange={(e) => setSaved(e.target.checked)}
          className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-600"
        />
        <span>I have saved these recovery codes somewhere safe.</span>
      </label>
      <Button className="w-full disabled:opacity-50" disabled={!saved || busy} onClick={onContinue}>
        {busy ? "Please wait…" : continueLabel}
      </Button>
    </section>
  );
}
