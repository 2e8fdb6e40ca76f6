"use client";

import { RefreshCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { refreshLiveColourAction } from "@/app/(portal)/deployments/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";

/** Asks the target which colour is live now and redraws the card with the answer. */
export function RefreshLiveButton({ serviceId }: { serviceId: string }) {
  const refresh = useGuardedAction(refreshLiveColourAction);
  const router = useRouter();
  const ok = refresh.result?.ok === true;
  useEffect(() => {
    if (ok) router.refresh();
  }, [ok, refresh.result, router]);
  return (
    <div className="space-y-2">
      <ActionStatus result={refresh.result?.ok ? null : refresh.result} />
      <Button
        variant="secondary"
        className="py-1.5"
        disabled={refresh.pending}
        onClick={() => {
          const form = new FormData();
          form.set("serviceId", serviceId);
          refresh.run(form);
        }}
      >
        <RefreshCw aria-hidden="true" className={`h-4 w-4 ${refresh.pending ? "animate-spin" : ""}`} />
        {refresh.pending ? "Reading…" : "Refresh"}
      </Button>
      {refresh.stepUpDialog}
    </div>
  );
}
