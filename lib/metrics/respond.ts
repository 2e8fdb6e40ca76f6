import { format } from "date-fns";
import { apiError } from "../api/http.ts";
import { csvLine, csvResponse } from "../export/csv.ts";
import { AppError } from "../errors.ts";
import type { PanelData } from "./panels.ts";
import { PrometheusError } from "./prometheus.ts";

/*
 * How the panel routes answer: the panel as JSON, or the same points as CSV (?format=csv), and
 * Prometheus failures as the API's error body (400 for a query Prometheus refused, 502 when it is
 * unreachable or failed, 404 when no data source is configured).
 */

function panelCsv(panel: PanelData): string {
  let out = csvLine(["time (UTC)", ...panel.series.map((s) => s.label)]);
  for (const p of panel.points) {
    out += csvLine([new Date(p.t).toISOString(), ...panel.series.map((s) => p[s.key] ?? null)]);
  }
  return out;
}

export function panelResponse(panel: PanelData, asCsv: boolean): Response {
  if (!asCsv) return Response.json(panel, { headers: { "cache-control": "no-store" } });
  const slug = panel.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "panel";
  return csvResponse(panelCsv(panel), `${slug}-${format(panel.to, "yyyyMMdd-HHmm")}.csv`);
}

/** Prometheus' failures keep their status; other errors go to the handler's usual mapping. */
export function prometheusErrorResponse(err: unknown): Response {
  if (err instanceof PrometheusError) return apiError(err.code, err.message, { status: err.httpStatus });
  if (err instanceof AppError) return apiError(err.code, err.message, { fields: err.fieldErrors });
  throw err;
}
