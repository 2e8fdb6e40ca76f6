import type { ReactNode } from "react";

/** A titled section of the change page; the heading names the region for screen readers. */
export function Panel({
  title,
  description,
  aside,
  children,
}: {
  title: string;
  description?: ReactNode;
  aside?: ReactNode;
  children: ReactNode;
}) {
  const id = `panel-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section
      aria-labelledby={id}
      className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <div>
          <h2 id={id} className="text-sm font-semibold">
            {title}
          </h2>
          {description ? <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{description}</p> : null}
        </div>
        {aside}
      </div>
      <div className="space-y-4 p-4">{children}</div>
    </section>
  );
}

/** A quiet explanatory line inside a panel. */
export function Note({ children }: { children: ReactNode }) {
  return <p className="text-sm text-slate-600 dark:text-slate-400">{children}</p>;
}

/** Preserves the line breaks people type into plans. */
export function Prose({ text, empty = "Not written yet." }: { text: string; empty?: string }) {
  return text.trim() ? (
    <p className="whitespace-pre-wrap text-sm leading-relaxed">{text}</p>
  ) : (
    <p className="text-sm italic text-slate-500 dark:text-slate-400">{empty}</p>
  );
}
