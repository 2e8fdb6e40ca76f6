"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { savePanelAction } from "@/app/(portal)/health/[serviceId]/infrastructure/actions";
import { type RangeValue } from "@/components/charts/range-picker";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { TextAreaField } from "@/components/ui/text-area-field";
import { UNIT_LABELS, UNITS, type Unit } from "@/lib/charts/format";
import { PrometheusPanel } from "./prometheus-panel";

export type EditedPanel = { id: string; title: string; query: string; unit: Unit };

/**
 * Adds or edits a custom PromQL panel. "Preview" runs the unsaved query through the portal (people
 * who may save panels only) and draws it as the panel would look; "Save panel" stores it. The
 * parent keys it by the panel being edited, so switching panels starts afresh.
 */
export function PanelEditor({ serviceId, editing, onDone, range }: { serviceId: string; editing: EditedPanel | null; onDone: () => void; range: RangeValue }) {
  const save = useGuardedAction(savePanelAction);
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [preview, setPreview] = useState<{ query: string; unit: Unit; title: string } | null>(null);
  const errors = save.result && !save.result.ok ? (save.result.fieldErrors ?? {}) : {};
  const ok = save.result?.ok === true;
  // Saved: the page reloads its panels and the parent mounts a fresh editor (onDone).
  useEffect(() => {
    if (!ok) return;
    router.refresh();
    onDone();
  }, [ok, router, onDone]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.run(new FormData(event.currentTarget));
  }

  function runPreview() {
    if (!form.current) return;
    const data = new FormData(form.current);
    setPreview({ query: String(data.get("query") ?? ""), unit: String(data.get("unit") ?? "") as Unit, title: String(data.get("title") ?? "") });
  }

  return (
    <form ref={form} aria-label={editing ? `Edit panel ${editing.title}` : "Add a panel"} onSubmit={submit} noValidate className="space-y-4 p-4">
      <input type="hidden" name="serviceId" value={serviceId} />
      <input type="hidden" name="panelId" value={editing?.id ?? ""} />
      <ActionStatus result={save.result} />
      <div className="grid gap-4 md:grid-cols-3">
        <div className="md:col-span-2">
          <Field id="panel-title" name="title" label="Title" defaultValue={editing?.title ?? ""} error={errors.title} required />
        </div>
        <SelectField id="panel-unit" name="unit" label="Unit" defaultValue={editing?.unit ?? ""} options={UNITS.map((u) => ({ value: u, label: UNIT_LABELS[u] }))} error={errors.unit} />
      </div>
      <TextAreaField
        id="panel-query"
        name="query"
        label="PromQL query"
        rows={3}
        defaultValue={editing?.query ?? ""}
        error={errors.query}
        required
        spellCheck={false}
        className="font-mono text-xs"
        placeholder='sum by (instance) (rate(node_disk_read_bytes_total{job="node"}[$__rate_interval]))'
        hint="$__rate_interval and $__interval follow the chart's step. At most 20 series are drawn."
      />
      <div className="flex flex-wrap gap-3">
        <Button variant="secondary" onClick={runPreview}>
          Preview
        </Button>
        <Button type="submit" disabled={save.pending}>
          {save.pending ? "Saving…" : editing ? "Save changes" : "Save panel"}
        </Button>
        {editing ? (
          <Button variant="ghost" onClick={onDone}>
            Cancel editing
          </Button>
        ) : null}
      </div>
      {preview ? (
        <PrometheusPanel
          endpoint="/api/prometheus/preview"
          params={{ query: preview.query, unit: preview.unit, title: preview.title }}
          title={`Preview: ${preview.title || "untitled panel"}`}
          unit={preview.unit}
          range={range}
          refreshMs={0}
        />
      ) : null}
    </form>
  );
}
