import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">403</p>
      <h1 className="mt-2 text-2xl font-bold tracking-tight">You do not have access to this page</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        Your role does not include this permission. If you need it, ask an administrator; the Admin page
        lists what each role may do.
      </p>
      <Link href="/" className="mt-6 text-sm font-semibold text-indigo-600 hover:underline dark:text-indigo-400">
        Back to the dashboard
      </Link>
    </main>
  );
}
