import { Link2Off } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AccountSetupForm } from "@/components/auth/account-setup-form";
import { AuthFrame } from "@/components/auth/auth-frame";
import { FirstAdminForm } from "@/components/auth/first-admin-form";
import { inspectSetupToken } from "@/lib/auth/setup-links";

export const metadata: Metadata = { title: "Set up your account", robots: { index: false, follow: false } };

/** A one-time setup link: an account an admin created, or the first administrator on first run. */
export default async function SetupLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await inspectSetupToken(token);
  switch (link.kind) {
    case "not-found":
      notFound();
    case "invalid":
      return (
        <AuthFrame title="Set up your account">
          <div className="space-y-4 text-center">
            <Link2Off aria-hidden="true" className="mx-auto h-8 w-8 text-amber-500" />
            <h2 className="text-lg font-semibold">This link is no longer valid</h2>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Setup links work once and only for a limited time. Ask an administrator to send you a new one.
            </p>
            <Link
              href="/sign-in"
              className="inline-block text-sm font-semibold text-indigo-600 hover:underline dark:text-indigo-400"
            >
              Already set up? Sign in
            </Link>
          </div>
        </AuthFrame>
      );
    case "first-admin":
      return (
        <AuthFrame wide title="Set up Ops Portal" subtitle="First run: create the administrator account.">
          <FirstAdminForm token={token} />
        </AuthFrame>
      );
    case "account-setup":
      return (
        <AuthFrame wide title="Set up your account" subtitle="Ops Portal · password and authenticator app">
          <AccountSetupForm token={token} name={link.user.name} email={link.user.email} />
        </AuthFrame>
      );
  }
}
