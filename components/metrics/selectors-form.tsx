"use client";

import { useRouter } from "next/navigation";
import { useEffect, type FormEvent } from "react";
import { saveSelectorsAction } from "@/app/(portal)/health/[serviceId]/infrastructure/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/** The service's Prometheus label selectors (health.manage). */
export function SelectorsForm({ serviceId, node, app }: { serviceId: string; node: string; app: string }) {
  const save = useGuardedAction(saveSelectorsAction);
  const router = useRouter();
  const errors = save.result && !save.result.ok ? (save.result.fieldErrors ?? {}) : {};
  const ok = save.result?.ok === true;
  useEffect(() => {
    if (ok) router.refresh();
  }, [ok, router]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.run(new FormData(event.currentTarget));
  }

  return (
    <form aria-label="Prometheus selectors" onSubmit={submit} noValidate className="space-y-4 p-4">
      <input type="hidden" name="serviceId" value={serviceId} />
      <ActionStatus result={save.result} success={save.result?.ok ? (save.result.data.changed.length ? "Selectors saved." : "Nothing changed.") : undefined} />
      <div className="grid gap-4 md:grid-cols-2">
        <Field
          id="sel-node"
          name="promNodeSelector"
          label="Node selector"
          defaultValue={node}
          placeholder='instance="db1:9100", job="node"'
          error={errors.promNodeSelector}
          hint="Label matchers for this service's node_exporter series: CPU, memory, disk, network."
          className="font-mono"
          spellCheck={false}
        />
        <Field
          id="sel-app"
          name="promAppSelector"
          label="App selector"
          defaultValue={app}
          placeholder='job="checkout"'
          error={errors.promAppSelector}
          hint="Label matchers for its http_requests_total and http_request_duration_seconds series."
          className="font-mono"
          spellCheck={false}
        />
      </div>
      <Button type="submit" disabled={save.pending}>
        {save.pending ? "Saving…" : "Save selectors"}
      </Button>
    </form>
  );
}
