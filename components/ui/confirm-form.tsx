"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { Button } from "./button";

/**
 * A button that asks before it acts: the first click shows the consequence and a confirm button
 * (focused, so Enter confirms and Tab reaches Cancel); only that one submits.
 */
export function ConfirmForm({
  fields,
  trigger,
  confirm,
  question,
  run,
  pending,
  danger = true,
}: {
  fields: Record<string, string>;
  trigger: string;
  confirm: string;
  question: ReactNode;
  run: (form: FormData) => void;
  pending: boolean;
  danger?: boolean;
}) {
  const [asking, setAsking] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAsking(false);
    run(new FormData(event.currentTarget));
  }

  return (
    <form onSubmit={submit}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {asking ? (
        <div
          role="group"
          aria-label={trigger}
          className={`rounded-lg border p-3 ${
            danger
              ? "border-red-200 bg-red-50 dark:border-red-500/30 dark:bg-red-500/10"
              : "border-slate-200 bg-slate-50 dark:border-slate-700 dark:bg-slate-800/50"
          }`}
        >
          <div className="text-sm text-slate-700 dark:text-slate-200">{question}</div>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button type="submit" variant={danger ? "danger" : "primary"} autoFocus>
              {confirm}
            </Button>
            <Button variant="secondary" onClick={() => setAsking(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <Button
          variant="secondary"
          onClick={() => setAsking(true)}
          disabled={pending}
          // The variant sets its own text colour; "!" lets the warning colour win.
          className={danger ? "text-red-700! dark:text-red-400!" : undefined}
        >
          {pending ? "Working…" : trigger}
        </Button>
      )}
    </form>
  );
}
