"use client";

import { useState } from "react";
import type { RangeValue } from "@/components/charts/range-picker";
import { PanelToolbar, PrometheusPanel } from "./prometheus-panel";

/** The portal's own request rate and latency over time, from Prometheus (when a data source is configured). */
export function PortalCharts() {
  const [range, setRange] = useState<RangeValue>({ range: "1h" });
  const [refreshMs, setRefreshMs] = useState(60_000);
  return (
    <div className="space-y-4 p-4">
      <PanelToolbar range={range} onRange={setRange} refreshMs={refreshMs} onRefresh={setRefreshMs} />
      <div className="grid gap-4 lg:grid-cols-2">
        <PrometheusPanel endpoint="/api/prometheus/portal" params={{ panel: "portal-requests" }} title="Portal request rate" unit="rps" range={range} refreshMs={refreshMs} />
        <PrometheusPanel endpoint="/api/prometheus/portal" params={{ panel: "portal-latency" }} title="Portal latency (p50, p95)" unit="seconds" range={range} refreshMs={refreshMs} />
      </div>
    </div>
  );
}
