import type { TestNowResult } from "@/lib/health/test-now";
import { formatDateTime } from "@/lib/ui/format";

/**
 * The answer to "Test now", inside an announced region the caller renders before any result (so
 * screen readers hear it arrive). Says plainly that nothing was stored.
 */
export function TestNowResultView({ result, compact = false }: { result: TestNowResult; compact?: boolean }) {
  const verdict = (
    <span className={result.ok ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}>{result.ok ? "Up" : "Down"}</span>
  );
  if (compact) {
    return (
      <div
        className={`space-y-0.5 rounded-md border px-3 py-2 text-xs ${
          result.ok
            ? "border-emerald-200 bg-emerald-50/70 dark:border-emerald-500/30 dark:bg-emerald-500/10"
            : "border-red-200 bg-red-50/70 dark:border-red-500/30 dark:bg-red-500/10"
        }`}
      >
        <p>
          <span className="font-semibold">Test result: {verdict}</span>
          <span className="tabular-nums">
            {" "}
            · {result.latencyMs.toLocaleString("en-GB")} ms · {result.statusCode !== null ? `status ${result.statusCode}` : "no status"}
          </span>
          {result.certExpiresAt ? <span> · certificate until {formatDateTime(new Date(result.certExpiresAt))}{result.certExpiring ? " (soon)" : ""}</span> : null}
        </p>
        {result.error ? <p className="break-words">{result.ok ? "Warning: " : "Error: "}{result.error}</p> : null}
        <p className="text-slate-500 dark:text-slate-400">Nothing stored.</p>
      </div>
    );
  }
  return (
    <div
      className={`space-y-2 rounded-lg border px-4 py-3 text-sm ${
        result.ok
          ? "border-emerald-200 bg-emerald-50/70 dark:border-emerald-500/30 dark:bg-emerald-500/10"
          : "border-red-200 bg-red-50/70 dark:border-red-500/30 dark:bg-red-500/10"
      }`}
    >
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <span className="font-semibold">Test result: {verdict}</span>
        <span className="break-all font-mono text-xs text-slate-600 dark:text-slate-300">{result.target}</span>
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Response time</dt>
          <dd className="font-medium tabular-nums">{result.latencyMs.toLocaleString("en-GB")} ms</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Status code</dt>
          <dd className="font-medium tabular-nums">{result.statusCode ?? "none"}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Certificate expires</dt>
          <dd className={`font-medium ${result.certExpiring ? "text-amber-700 dark:text-amber-300" : ""}`}>
            {result.certExpiresAt ? `${formatDateTime(new Date(result.certExpiresAt))}${result.certExpiring ? " (soon)" : ""}` : "n/a"}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Tested at</dt>
          <dd className="font-medium">{formatDateTime(new Date(result.at))}</dd>
        </div>
      </dl>
      {result.error ? (
        <p className="break-words text-sm">
          <span className="font-medium">{result.ok ? "Warning: " : "Error: "}</span>
          {result.error}
        </p>
      ) : null}
      <p className="text-xs text-slate-500 dark:text-slate-400">Nothing was stored: a test is not part of the check&apos;s history or state.</p>
    </div>
  );
}
