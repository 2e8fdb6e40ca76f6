"use client";

import { REFRESH_CHOICES } from "@/lib/charts/refresh";

/**
 * The one auto-refresh control of every chart page (health, infrastructure, business metrics):
 * how often the page refetches its data (TanStack Query's refetchInterval), announced while it does.
 */
export function AutoRefreshToggle({ value, onChange, fetching }: { value: number; onChange: (ms: number) => void; fetching?: boolean }) {
  const pill = (active: boolean) =>
    `rounded-md px-2.5 py-1.5 text-xs font-semibold transition ${
      active ? "bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900" : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
    }`;
  return (
    <div className="flex items-center gap-2">
      <div role="group" aria-label="Auto-refresh" className="inline-flex items-center gap-1 rounded-lg border border-slate-200 bg-white p-1 dark:border-slate-700 dark:bg-slate-900">
        <span className="px-1.5 text-xs font-medium text-slate-500 dark:text-slate-400">Refresh</span>
        {REFRESH_CHOICES.map((c) => (
          <button key={c.ms} type="button" aria-pressed={value === c.ms} className={pill(value === c.ms)} onClick={() => onChange(c.ms)}>
            {c.label}
          </button>
        ))}
      </div>
      <span aria-live="polite" className="w-16 text-xs text-slate-500 dark:text-slate-400">
        {fetching ? "Updating…" : ""}
      </span>
    </div>
  );
}
