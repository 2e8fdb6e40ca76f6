import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthFrame } from "@/components/auth/auth-frame";
import Link from "next/link";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Alert } from "@/components/ui/alert";
import { currentUser } from "@/lib/auth/current-user";
import { noUsersYet } from "@/lib/auth/setup-links";

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
  const firstRun = await noUsersYet();
  return (
    <AuthFrame title="Sign in to Ops Portal" subtitle="Password and authenticator code required.">
      {firstRun ? (
        <div className="mb-5">
          <Alert tone="info">
            No one has an account yet. Open the one-time setup link from the server log, or{" "}
            <Link href="/setup" className="font-semibold underline underline-offset-2">
              set up the first administrator
            </Link>{" "}
            with its token.
          </Alert>
        </div>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} />
    </AuthFrame>
  );
}
