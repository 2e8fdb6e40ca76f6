"use client";

import { Download } from "lucide-react";
import { useEffect } from "react";
import { prepareAuditExportAction } from "@/app/(portal)/audit/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * Export the filtered trail. The server first checks permission and a fresh step-up (asking for an
 * authenticator code when needed), then the browser follows the download link, which the server
 * checks again and streams.
 */
export function AuditExportButtons({ filter }: { filter: Record<string, string> }) {
  const { run, result, pending, reset, stepUpDialog } = useGuardedAction(prepareAuditExportAction);

  useEffect(() => {
    if (result?.ok) {
      window.location.assign(result.data);
      reset();
    }
  }, [result, reset]);

  function exportAs(format: "csv" | "json") {
    const form = new FormData();
    for (const [key, value] of Object.entries(filter)) form.set(key, value);
    form.set("format", format);
    run(form);
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        <Button variant="secondary" onClick={() => exportAs("csv")} disabled={pending}>
          <Download aria-hidden="true" className="h-4 w-4" />
          Export CSV
        </Button>
        <Button variant="secondary" onClick={() => exportAs("json")} disabled={pending}>
          <Download aria-hidden="true" className="h-4 w-4" />
          Export JSON
        </Button>
      </div>
      {result && !result.ok ? <Alert>{result.message}</Alert> : null}
      {stepUpDialog}
    </div>
  );
}
