"use client";

import { Pencil } from "lucide-react";
import { useCallback, useState } from "react";
import { deletePanelAction } from "@/app/(portal)/health/[serviceId]/infrastructure/actions";
import type { RangeValue } from "@/components/charts/range-picker";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmForm } from "@/components/ui/confirm-form";
import type { Unit } from "@/lib/charts/format";
import { PanelEditor, type EditedPanel } from "./panel-editor";
import { PanelToolbar, PrometheusPanel } from "./prometheus-panel";

export type BuiltinPanelMeta = { key: string; title: string; unit: Unit; group: "node" | "app"; yDomain?: [number, number] };

function Section({ title, description, children }: { title: string; description?: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="space-y-3">
      <div>
        <h2 className="text-base font-semibold">{title}</h2>
        {description ? <p className="text-sm text-slate-600 dark:text-slate-400">{description}</p> : null}
      </div>
      {children}
    </section>
  );
}

function Note({ children }: { children: React.ReactNode }) {
  return <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">{children}</p>;
}

function DeletePanel({ panelId, title }: { panelId: string; title: string }) {
  const del = useGuardedAction(deletePanelAction);
  return (
    <div className="space-y-1">
      <ActionStatus result={del.result && !del.result.ok ? del.result : null} />
      <ConfirmForm fields={{ panelId }} trigger={`Delete ${title}`} confirm="Delete panel" question={<>Delete the panel {title}? Its query is kept in the audit trail.</>} run={del.run} pending={del.pending} />
      {del.stepUpDialog}
    </div>
  );
}

/**
 * The Infrastructure tab's panels: host (node selector), application (app selector) and custom
 * PromQL ones, one range and refresh for all; the editor and delete buttons for health.manage.
 */
export function InfrastructurePanels({
  serviceId,
  builtins,
  custom,
  nodeSelector,
  appSelector,
  canManage,
}: {
  serviceId: string;
  builtins: BuiltinPanelMeta[];
  custom: EditedPanel[];
  nodeSelector: string;
  appSelector: string;
  canManage: boolean;
}) {
  const [range, setRange] = useState<RangeValue>({ range: "1h" });
  const [refreshMs, setRefreshMs] = useState(60_000);
  const [editing, setEditing] = useState<EditedPanel | null>(null);
  const [editorKey, setEditorKey] = useState(0);
  const doneEditing = useCallback(() => {
    setEditing(null);
    setEditorKey((k) => k + 1);
  }, []);
  const endpoint = `/api/prometheus/panels/${serviceId}`;

  const grid = (panels: BuiltinPanelMeta[]) => (
    <div className="grid gap-4 lg:grid-cols-2">
      {panels.map((p) => (
        <PrometheusPanel key={p.key} endpoint={endpoint} params={{ panel: p.key }} title={p.title} unit={p.unit} yDomain={p.yDomain} range={range} refreshMs={refreshMs} />
      ))}
    </div>
  );

  return (
    <div className="space-y-8">
      <PanelToolbar range={range} onRange={setRange} refreshMs={refreshMs} onRefresh={setRefreshMs} />

      <Section title="Host" description={nodeSelector ? `node_exporter series matching {${nodeSelector}}` : undefined}>
        {nodeSelector ? grid(builtins.filter((b) => b.group === "node")) : <Note>No node selector is set, so there are no CPU, memory, disk or network panels. {canManage ? "Set one under Prometheus selectors below." : "Someone with the Operator role can set one."}</Note>}
      </Section>

      <Section title="Application" description={appSelector ? `HTTP metrics matching {${appSelector}}` : undefined}>
        {appSelector ? grid(builtins.filter((b) => b.group === "app")) : <Note>No app selector is set, so there are no request rate, error rate or latency panels. {canManage ? "Set one under Prometheus selectors below." : "Someone with the Operator role can set one."}</Note>}
      </Section>

      <Section title="Custom panels">
        {custom.length ? (
          <div className="grid gap-4 lg:grid-cols-2">
            {custom.map((p) => (
              <PrometheusPanel
                key={p.id}
                endpoint={endpoint}
                params={{ panel: `custom:${p.id}` }}
                title={p.title}
                unit={p.unit}
                range={range}
                refreshMs={refreshMs}
                footer={
                  <details className="px-1 text-xs text-slate-600 dark:text-slate-400">
                    <summary className="cursor-pointer">Query{canManage ? " and actions" : ""}</summary>
                    <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono dark:bg-slate-800/60">{p.query}</pre>
                    {canManage ? (
                      <div className="mt-2 flex flex-wrap items-start gap-2">
                        <Button variant="secondary" onClick={() => setEditing(p)}>
                          <Pencil aria-hidden="true" className="h-4 w-4" />
                          Edit {p.title}
                        </Button>
                        <DeletePanel panelId={p.id} title={p.title} />
                      </div>
                    ) : null}
                  </details>
                }
              />
            ))}
          </div>
        ) : (
          <Note>No custom panels yet.{canManage ? " Add one with a PromQL query below." : ""}</Note>
        )}
      </Section>

      {canManage ? (
        <Card title={editing ? `Edit panel: ${editing.title}` : "Add a panel"}>
          <PanelEditor key={editing ? `edit-${editing.id}` : `new-${editorKey}`} serviceId={serviceId} editing={editing} onDone={doneEditing} range={range} />
        </Card>
      ) : null}
    </div>
  );
}
