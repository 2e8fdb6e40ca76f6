import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthFrame } from "@/components/auth/auth-frame";
import { FirstAdminForm } from "@/components/auth/first-admin-form";
import { noUsersYet } from "@/lib/auth/setup-links";

export const metadata: Metadata = { title: "Set up Ops Portal", robots: { index: false, follow: false } };

/** First run only: once anyone has an account this page does not exist. */
export default async function FirstRunPage() {
  if (!(await noUsersYet())) notFound();
  return (
    <AuthFrame wide title="Set up Ops Portal" subtitle="First run: create the administrator account.">
      <FirstAdminForm />
    </AuthFrame>
  );
}
