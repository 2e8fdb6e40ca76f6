import type { ReactNode } from "react";

/** The centred, logo-topped card every page before sign-in uses (sign-in, setup links, first run). */
export function AuthFrame({
  title,
  subtitle,
  wide = false,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  /** Enrolment and setup need room for a QR code and a list of codes. */
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      {/* Widens by itself when a step inside needs the room (it marks itself data-wide). */}
      <div className={`w-full ${wide ? "max-w-md" : "max-w-sm has-[[data-wide]]:max-w-md"}`}>
        <div className="mb-8 flex flex-col items-center text-center">
          <svg aria-hidden="true" viewBox="0 0 32 32" className="h-11 w-11">
            <rect width="32" height="32" rx="7" fill="#4f46e5" />
            <path d="M9 17l4 4 10-10" fill="none" stroke="#fff" strokeWidth="3.2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <h1 className="mt-4 text-2xl font-bold tracking-tight">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{subtitle}</p> : null}
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          {children}
        </div>
      </div>
    </main>
  );
}
