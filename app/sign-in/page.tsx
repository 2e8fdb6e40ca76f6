import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Sign in" };

function safeCallback(value: string | string[] | undefined): string {
  const url = Array.isArray(value) ? value[0] : value;
  // Only same-site paths: an open redirect after sign-in is a phishing aid.
  return url && url.startsWith("/") && !url.startsWith("//") ? url : "/";
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const callbackUrl = safeCallback((await searchParams).callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <svg aria-hidden="true" viewBox="0 0 32 32" className="h-11 w-11">
            <rect width="32" height="32" rx="7" fill="#4f46e5" />
            <path d="M9 17l4 4 10-10" fill="none" stroke="#fff" strokeWidth="3.2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <h1 className="mt-4 text-2xl font-bold tracking-tight">Sign in to Ops Portal</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Password and authenticator code required.</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <SignInForm callbackUrl={callbackUrl} />
        </div>
      </div>
    </main>
  );
}
