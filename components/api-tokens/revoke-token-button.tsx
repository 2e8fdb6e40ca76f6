"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { revokeApiTokenAction } from "@/app/(portal)/account/tokens/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { Button } from "@/components/ui/button";

/** Two clicks (Revoke, then Confirm) so a stray click cannot cut off a pipeline. */
export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const { run, result, pending, stepUpDialog } = useGuardedAction(revokeApiTokenAction);
  const router = useRouter();

  useEffect(() => {
    if (result?.ok) router.refresh();
  }, [result, router]);

  if (!confirming) {
    return (
      <Button variant="ghost" className="px-2 py-1 text-red-700! dark:text-red-400!" aria-label={`Revoke ${name}`} onClick={() => setConfirming(true)}>
        Revoke
      </Button>
    );
  }
  return (
    <div className="flex flex-wrap items-center justify-end gap-1">
      <Button
        variant="danger"
        className="px-2 py-1"
        disabled={pending}
        aria-label={`Confirm revoking ${name}`}
        onClick={() => {
          const form = new FormData();
          form.set("id", id);
          run(form);
        }}
      >
        {pending ? "Revoking…" : "Confirm"}
      </Button>
      <Button variant="ghost" className="px-2 py-1" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
      {result && !result.ok ? (
        <p role="alert" className="w-full text-right text-xs text-red-600 dark:text-red-400">
          {result.message}
        </p>
      ) : null}
      {stepUpDialog}
    </div>
  );
}
