"use client";

import { format } from "date-fns";
import { useId, useState, type FormEvent } from "react";
import { RANGE_LABELS, RANGE_PRESETS, type RangePreset } from "@/lib/charts/range";

/** What the picker edits; the same fields the chart endpoints take as query (lib/charts/range.ts). */
export type RangeValue = { range: RangePreset | "custom"; from?: string; to?: string };

export function rangeQueryString(value: RangeValue): string {
  const q = new URLSearchParams({ range: value.range });
  if (value.range === "custom" && value.from && value.to) {
    q.set("from", new Date(value.from).toISOString());
    q.set("to", new Date(value.to).toISOString());
  }
  return q.toString();
}

const local = (d: Date) => format(d, "yyyy-MM-dd'T'HH:mm");

/**
 * Preset buttons (1h, 24h, 7d, 30d) and a custom from/to form. The pressed preset is announced with
 * aria-pressed; a custom range is applied only when both ends are valid and in order.
 */
export function RangePicker({ value, onChange }: { value: RangeValue; onChange: (next: RangeValue) => void }) {
  const id = useId();
  const [customOpen, setCustomOpen] = useState(value.range === "custom");
  // Lazy initialisers: the default custom range is the last 24 hours as of when the picker mounts.
  const [from, setFrom] = useState(() => value.from ?? local(new Date(Date.now() - 86_400_000)));
  const [to, setTo] = useState(() => value.to ?? local(new Date()));
  const [error, setError] = useState("");

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const f = new Date(from);
    const t = new Date(to);
    if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime())) return setError("Enter both a start and an end.");
    if (f >= t) return setError("The end must be after the start.");
    setError("");
    onChange({ range: "custom", from, to });
  };

  const pill = (active: boolean) =>
    `rounded-md px-2.5 py-1.5 text-xs font-semibold transition ${
      active
        ? "bg-indigo-600 text-white"
        : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
    }`;

  return (
    <div className="flex flex-wrap items-end gap-3">
      <div role="group" aria-label="Time range" className="inline-flex gap-1 rounded-lg border border-slate-200 bg-white p-1 dark:border-slate-700 dark:bg-slate-900">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={value.range === p}
            title={RANGE_LABELS[p]}
            className={pill(value.range === p)}
            onClick={() => {
              setCustomOpen(false);
              onChange({ range: p });
            }}
          >
            {p}
          </button>
        ))}
        <button type="button" aria-pressed={value.range === "custom"} aria-expanded={customOpen} className={pill(value.range === "custom")} onClick={() => setCustomOpen((o) => !o)}>
          Custom
        </button>
      </div>
      {customOpen ? (
        <form onSubmit={apply} className="flex flex-wrap items-end gap-2" aria-label="Custom time range">
          <label className="text-xs font-medium text-slate-700 dark:text-slate-300" htmlFor={`${id}-from`}>
            From
            <input id={`${id}-from`} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900" />
          </label>
          <label className="text-xs font-medium text-slate-700 dark:text-slate-300" htmlFor={`${id}-to`}>
            To
            <input id={`${id}-to`} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900" />
          </label>
          <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500">
            Apply range
          </button>
          {error ? (
            <p role="alert" className="w-full text-xs text-red-700 dark:text-red-400">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
